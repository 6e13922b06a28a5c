package roundtrip.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.kernel.Trace;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.sim.Half;
import roundtrip.sim.LostAt;
import roundtrip.sim.ProbeResult;

import java.util.List;

/** The machine-readable output (design §2): one object per probe, in probe-file order, as a JSON array. */
public final class JsonReport {

    private JsonReport() {}

    public static String render(List<ProbeResult> results) {
        ArrayNode arr = Json.array();
        for (ProbeResult r : results) arr.add(toJson(r));
        return Json.pretty(arr);
    }

    public static ObjectNode toJson(ProbeResult r) {
        ObjectNode o = Json.object();
        o.put("id", r.probe().id());
        outcome(o, r, true);
        o.putArray("diagnosis");
        o.putArray("fixes");
        return o;
    }

    /** The fields of one simulated probe after its id: verdict, both halves, data, certainty, expectation, hops, notes. */
    static void outcome(ObjectNode o, ProbeResult r, boolean withHops) {
        o.put("verdict", r.verdict().name());
        o.set("request", half(r.request(), true));
        o.set("reply", half(r.reply(), false));
        if (r.data() != null) o.set("data", half(r.data(), false));
        o.put("certain", r.certain());
        ArrayNode unc = o.putArray("uncertain");
        for (Problem p : r.uncertain()) unc.add(p.toString());
        if (r.probe().expect() != null) {
            o.put("expect", r.probe().expect());
            o.put("expectationMet", r.probe().expect().equals(r.verdict().name()));
        }
        if (withHops) {
            ArrayNode hops = o.putArray("hops");
            for (ProbeResult.Phase ph : r.phases()) {
                for (Trace.Step s : ph.steps()) {
                    ObjectNode h = hops.addObject();
                    h.put("phase", ph.name());
                    h.put("host", s.host());
                    h.put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
                    h.put("text", StepText.of(s));
                    if (s.source() != null && s.source() != Source.NONE) h.set("source", source(s.source()));
                    StepJson.add(h, s.fact());
                }
            }
        }
        ArrayNode notes = o.putArray("notes");
        r.notes().forEach(n -> notes.add(n.english()));
    }

    private static ObjectNode half(Half h, boolean withTarget) {
        ObjectNode o = Json.object();
        o.put("delivered", h.delivered());
        if (withTarget) {
            if (h.deliveredTo() == null) o.putNull("deliveredTo"); else o.put("deliveredTo", h.deliveredTo());
        }
        LostAt at = h.lostAt();
        if (at == null) {
            o.putNull("lostAt");
        } else {
            ObjectNode l = o.putObject("lostAt");
            l.put("host", at.host());
            l.put("stage", at.stage());
            l.put("reason", at.reason().english());
            if (at.source() != null && at.source() != Source.NONE) l.set("rule", source(at.source()));
        }
        return o;
    }

    private static ObjectNode source(Source s) {
        ObjectNode o = Json.object();
        if (!s.file().isEmpty()) o.put("file", s.file());
        if (s.line() > 0) o.put("line", s.line());
        o.put("text", s.text());
        return o;
    }
}
