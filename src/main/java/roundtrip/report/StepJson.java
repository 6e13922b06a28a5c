package roundtrip.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.kernel.Fact;
import roundtrip.model.Packet;
import roundtrip.model.Rule;

import java.util.Locale;

/**
 * A trace step's facts as JSON fields of its hop (design §2's hops keep `phase`, `host`, `kind`, `text`, `source`
 * and gain these): the packet with its addresses and ports, the routing decision with the route and the policy rule,
 * the rule's table and chain, the NAT before and after, the conntrack state, a drop's stage and why, the tunnel's
 * operation. Machines read these instead of parsing `text`.
 */
final class StepJson {
    private StepJson() {}

    static void add(ObjectNode h, Fact fact) {
        if (fact instanceof Fact.Seen s) {
            h.put("direction", s.in() ? "in" : "out");
            h.put("dev", s.dev());
            packet(h.putObject("packet"), s.packet());
        } else if (fact instanceof Fact.Routed r) {
            h.put("decision", word(r.decision()));
            if (r.result() != null && r.route() != null) {
                h.put("route", r.route().text());
                h.put("table", r.route().table());
            }
            Rule via = r.viaRule();
            if (via != null) h.put("rule", via.priority());
            if (r.source() != null) h.put("chosenSource", r.source().toString());
        } else if (fact instanceof Fact.RuleHit r) {
            h.put("family", word(r.family()));
            h.put("table", r.table());
            h.put("chain", r.chain());
            h.put("action", r.action());
        } else if (fact instanceof Fact.NatChange n) {
            h.put("nat", n.source() ? "source" : "destination");
            h.put("reply", n.reply());
            packet(h.putObject("before"), n.before());
            packet(h.putObject("after"), n.after());
        } else if (fact instanceof Fact.Tracked t) {
            h.put("ctstate", t.state() == null ? null : word(t.state()));
            h.put("reply", t.reply());
            if (t.connmark() != 0) h.put("connmark", t.connmark());
        } else if (fact instanceof Fact.Delivered d) {
            packet(h.putObject("packet"), d.packet());
        } else if (fact instanceof Fact.Drop d) {
            h.put("stage", d.stage().word());
            if (d.why() != null) why(h.putObject("why"), d.why());
        } else if (fact instanceof Fact.Tunnel t) {
            h.put("daemon", t.daemon());
            h.put("dev", t.device());
            h.put("operation", word(t.op()));
        } else if (fact instanceof Fact.Sends s) {
            packet(h.putObject("packet"), s.packet());
        } else if (fact instanceof Fact.NoListener n) {
            h.put("port", n.port());
        } else if (fact instanceof Fact.Bridged b) {
            h.put("bridge", b.bridge());
        }
        // notes, answers and uncertain steps: their text says it all
    }

    private static void why(ObjectNode w, Fact.Why why) {
        // the record's name in words ("forwarding-off") and its fields, as they are
        String type = why.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        w.put("type", type);
        for (var c : why.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(why);
                if (v == null) continue;
                if (v instanceof Number n) w.put(c.getName(), n.longValue());
                else if (v instanceof Boolean b) w.put(c.getName(), b);
                else if (v instanceof Fact.Why inner) why(w.putObject(c.getName()), inner);   // a why inside a why (nd-filtered)
                else w.put(c.getName(), v instanceof Enum<?> e ? word(e) : v.toString());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void packet(ObjectNode o, Packet p) {
        if (p == null) return;
        o.put("proto", Packet.protoName(p.proto));
        if (p.src != null) o.put("src", p.src.toString());
        if (p.dst != null) o.put("dst", p.dst.toString());
        if (p.proto == Packet.TCP || p.proto == Packet.UDP) {
            o.put("sport", p.sport);
            o.put("dport", p.dport);
        }
    }

    private static String word(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT).replace('_', '-'); }
}
