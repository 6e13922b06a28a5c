package roundtrip.report;

import roundtrip.kernel.Trace;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.sim.Half;
import roundtrip.sim.LostAt;
import roundtrip.sim.ProbeResult;

/**
 * Output for people: each phase hop by hop (interface lines as `tcpdump -i any` shows them, every rule that
 * acted quoted as written, as `nft monitor trace` would), then one line saying which half was lost, where, why.
 */
public final class TextReport {
    private TextReport() {}

    public static String trace(ProbeResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("probe ").append(r.probe().id()).append(": ").append(r.probe().describe()).append('\n');
        int width = 4;
        for (ProbeResult.Phase ph : r.phases()) for (Trace.Step s : ph.steps()) width = Math.max(width, s.host().length());
        for (ProbeResult.Phase ph : r.phases()) {
            sb.append('\n').append(ph.name()).append(": ").append(ph.packet()).append('\n');
            for (Trace.Step s : ph.steps()) {
                sb.append("  ").append(pad(s.host(), width)).append("  ").append(label(s.kind())).append(s.text());
                if (s.source() != null && s.source() != Source.NONE && !s.source().text().isEmpty()
                        && (s.kind() == Trace.Kind.RULE || s.kind() == Trace.Kind.DROP || s.kind() == Trace.Kind.UNCERTAIN)) {
                    sb.append("\n  ").append(pad("", width)).append("      ").append(quote(s.source()));
                }
                sb.append('\n');
            }
        }
        for (String n : r.notes()) sb.append("\nnote: ").append(n);
        if (!r.notes().isEmpty()) sb.append('\n');
        sb.append('\n').append(summary(r)).append('\n');
        return sb.toString();
    }

    /** One line per probe for `check --format text`. */
    public static String line(ProbeResult r) {
        String mark = r.probe().expect() == null ? "" : r.probe().expect().equals(r.verdict().name()) ? "  [as expected]"
                : "  [EXPECTED " + r.probe().expect() + "]";
        return pad(r.probe().id(), 16) + " " + pad(r.verdict().name(), 13) + " " + r.probe().describe() + mark
                + "\n" + pad("", 17) + explain(r);
    }

    /** The same line for `demo --lang zh`: the verdict in Chinese (the verdict names stay, they are what JSON and CI use). */
    public static String line(ProbeResult r, String lang) {
        if (!"zh".equals(lang)) return line(r);
        String mark = r.probe().expect() == null ? "" : r.probe().expect().equals(r.verdict().name()) ? "  [符合预期]"
                : "  [预期 " + r.probe().expect() + "]";
        return pad(r.probe().id(), 16) + " " + pad(r.verdict().name(), 13) + " " + r.probe().describe() + mark
                + "\n" + pad("", 17) + WhyReport.verdictSentence(r, true);
    }

    public static String summary(ProbeResult r) {
        return "verdict: " + r.verdict() + (r.certain() ? "" : " (UNCERTAIN)") + " — " + explain(r);
    }

    static String explain(ProbeResult r) {
        StringBuilder sb = new StringBuilder();
        switch (r.verdict()) {
            case REQUEST_LOST -> sb.append("the request is lost").append(at(r.request().lostAt()));
            case REPLY_LOST -> sb.append("the request reaches ").append(r.request().deliveredTo())
                    .append("; the reply is lost").append(at(r.reply().lostAt()));
            case ROUND_TRIP_OK -> {
                sb.append("the request reaches ").append(r.request().deliveredTo()).append(" and the answer comes back");
                Half d = r.data();
                if (d != null && !d.delivered()) sb.append("; but the connection stalls: the first data exchange is lost").append(at(d.lostAt()));
            }
        }
        if (!r.certain()) {
            sb.append("; uncertain:");
            for (Problem p : r.uncertain()) sb.append(' ').append(p);
        }
        return sb.toString();
    }

    private static String at(LostAt l) {
        if (l == null) return "";
        String rule = l.source() != null && l.source() != Source.NONE && !l.source().text().isEmpty() ? " [" + quote(l.source()) + "]" : "";
        return " on " + l.host() + " (" + l.stage() + "): " + l.reason() + rule;
    }

    private static String quote(Source s) {
        return s.line() > 0 ? s.where() + ": " + s.text() : s.file().isEmpty() ? s.text() : s.file() + ": " + s.text();
    }

    private static String label(Trace.Kind k) {
        return switch (k) {
            case IN, OUT -> "";
            case ROUTE -> "route  ";
            case RULE -> "rule   ";
            case NAT -> "nat    ";
            case CONNTRACK -> "ct     ";
            case DROP -> "DROP   ";
            case LOCAL -> "local  ";
            case NOTE -> "note   ";
            case UNCERTAIN -> "UNKNOWN ";
        };
    }

    private static String pad(String s, int n) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < n) sb.append(' ');
        return sb.toString();
    }
}
