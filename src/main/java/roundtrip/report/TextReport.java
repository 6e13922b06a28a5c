package roundtrip.report;

import roundtrip.diagnose.Finding;
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

    public static String trace(ProbeResult r) { return trace(r, null, "en"); }

    /**
     * The trace, ending with the root cause the diagnosis names (null: none named, e.g. the probe passes). In
     * Chinese the headings, step labels and reasons are translated; packets, rules and commands stay as written.
     */
    public static String trace(ProbeResult r, Finding cause, String lang) {
        boolean zh = "zh".equals(lang);
        StringBuilder sb = new StringBuilder();
        sb.append(zh ? "探测 " : "probe ").append(r.probe().id()).append(zh ? "：" : ": ").append(r.probe().describe()).append('\n');
        int width = 4;
        for (ProbeResult.Phase ph : r.phases()) for (Trace.Step s : ph.steps()) width = Math.max(width, s.host().length());
        for (ProbeResult.Phase ph : r.phases()) {
            sb.append('\n').append(zh ? ph.generatedFor() != null ? Zh.text(ph.generatedFor()) : phaseZh(ph.name()) : ph.name()).append(zh ? "：" : ": ")
                    .append(zh && !ph.name().equals("request") ? Zh.text(ph.packet()) : ph.packet().english()).append('\n');
            for (Trace.Step s : ph.steps()) {
                sb.append("  ").append(pad(s.host(), width)).append("  ").append(zh ? labelZh(s.kind()) : label(s.kind()))
                        .append(zh && translatable(s.kind()) ? Zh.text(StepText.message(s)) : StepText.of(s));
                if (s.source() != null && s.source() != Source.NONE && !s.source().text().isEmpty()
                        && (s.kind() == Trace.Kind.RULE || s.kind() == Trace.Kind.DROP || s.kind() == Trace.Kind.UNCERTAIN)) {
                    sb.append("\n  ").append(pad("", width)).append("      ").append(quote(s.source()));
                }
                sb.append('\n');
            }
        }
        for (roundtrip.model.Message n : r.notes()) sb.append(zh ? "\n注：" : "\nnote: ").append(zh ? Zh.text(n) : n.english());
        if (!r.notes().isEmpty()) sb.append('\n');
        sb.append('\n').append(zh ? summaryZh(r) : summary(r)).append('\n');
        if (cause != null) sb.append(causeLine(cause, lang)).append('\n');
        return sb.toString();
    }

    /**
     * "root cause: ID on HOST: summary", the line `check` and `trace` end a failing probe with: the same first cause
     * `why` names (the mistake to change, which may be on another host than where the packet died).
     */
    public static String causeLine(Finding f, String lang) {
        if ("zh".equals(lang)) {
            return "根因：" + WhyReport.named(Zh.cause(f.cause().id()), f.cause().id()) + "，位于 " + f.host() + "：" + Zh.text(f.summary());
        }
        return "root cause: " + f.cause().id() + " on " + f.host() + ": " + f.summary();
    }

    private static String summaryZh(ProbeResult r) {
        return "结论：" + r.verdict() + (r.certain() ? "" : "（不确定）") + " —— " + WhyReport.verdictSentence(r, true)
                + (r.certain() ? "" : "；不确定：" + String.join(" ", r.uncertain().stream().map(Zh::problem).toList()));
    }

    /** Steps whose text is our sentence (a route decision, NAT, a reason, a note), not a packet or a rule as the user wrote it. */
    private static boolean translatable(Trace.Kind k) {
        return k != Trace.Kind.IN && k != Trace.Kind.OUT && k != Trace.Kind.RULE;
    }

    private static String phaseZh(String phase) {
        return switch (phase) {
            case "request" -> "请求";
            case "reply" -> "应答";
            case "data" -> "数据";
            case "data reply" -> "数据应答";
            case "icmp error" -> "ICMP 差错";
            default -> phase;
        };
    }

    private static String labelZh(Trace.Kind k) {
        return switch (k) {
            case IN, OUT -> "";
            case ROUTE -> "路由   ";
            case RULE -> "规则   ";
            case NAT -> "NAT    ";
            case CONNTRACK -> "连接跟踪 ";
            case DROP -> "丢弃   ";
            case LOCAL -> "本机   ";
            case NOTE -> "注     ";
            case UNCERTAIN -> "无法判断 ";
        };
    }

    /** One line per probe for `check --format text`. */
    public static String line(ProbeResult r) {
        String mark = r.probe().expect() == null ? "" : r.probe().expect().equals(r.verdict().name()) ? "  [as expected]"
                : "  [EXPECTED " + r.probe().expect() + "]";
        return pad(r.probe().id(), 16) + " " + pad(r.verdict().name(), 13) + " " + r.probe().describe() + mark
                + "\n" + pad("", 17) + explain(r);
    }

    /** The same line for `--lang zh`: the verdict in Chinese (the verdict names stay, they are what JSON and CI use). */
    public static String line(ProbeResult r, String lang) { return line(r, null, lang); }

    /** The line, followed by the root cause when the diagnosis named one (see {@link #causeLine}). */
    public static String line(ProbeResult r, Finding cause, String lang) {
        String c = cause == null ? "" : "\n" + pad("", 17) + causeLine(cause, lang);
        if (!"zh".equals(lang)) return line(r) + c;
        String mark = r.probe().expect() == null ? "" : r.probe().expect().equals(r.verdict().name()) ? "  [符合预期]"
                : "  [预期 " + r.probe().expect() + "]";
        return pad(r.probe().id(), 16) + " " + pad(r.verdict().name(), 13) + " " + r.probe().describe() + mark
                + "\n" + pad("", 17) + WhyReport.verdictSentence(r, true) + c;
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
