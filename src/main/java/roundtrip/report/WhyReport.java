package roundtrip.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.diagnose.Finding;
import roundtrip.diagnose.PacketPath;
import roundtrip.fix.Change;
import roundtrip.fix.Dialect;
import roundtrip.fix.RankedFix;
import roundtrip.fix.Verification;
import roundtrip.fix.Why;
import roundtrip.model.Network;
import roundtrip.model.Source;
import roundtrip.sim.LostAt;
import roundtrip.sim.ProbeResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `roundtrip why` output: the verdict in one sentence, both paths hop by hop with the failing hop and the root
 * cause marked, the root cause with its evidence and explanation, then the ranked, verified fixes with their
 * commands, persistence and trade-off. English or Chinese ({@code lang} "zh"): in Chinese the sentences the layers
 * below write in English (drop reasons, findings, persistence hints) go through {@link Zh}; commands, routes and
 * quoted configuration stay as written.
 */
public final class WhyReport {

    private WhyReport() {}

    // ------------------------------------------------------------------------------------------------ text

    public static String text(Why.Result w, Network net, String lang) {
        boolean zh = "zh".equals(lang);
        ProbeResult r = w.result();
        StringBuilder sb = new StringBuilder();
        sb.append(zh ? "探测 " : "probe ").append(r.probe().id()).append(zh ? "：" : ": ").append(r.probe().describe()).append('\n');
        sb.append(verdictSentence(r, zh)).append('\n');

        String causeHost = w.findings().isEmpty() ? null : w.findings().get(0).host();
        PacketPath reply = PacketPath.of(r, "reply");
        // the root cause is marked once: on the answer's path when it lies there
        boolean causeOnReply = reply.hops().stream().anyMatch(h -> h.host.equals(causeHost));
        sb.append('\n').append(zh ? "请求路径：" : "request path:").append('\n');
        path(sb, PacketPath.of(r, "request"), r.verdict() == ProbeResult.Verdict.REQUEST_LOST ? r.request().lostAt() : null,
                causeOnReply ? null : causeHost, zh);
        sb.append(zh ? "应答路径：" : "reply path:").append('\n');
        if (reply.isEmpty()) sb.append(zh ? "  （没有应答发出）\n" : "  (no answer was sent)\n");
        else path(sb, reply, r.reply().delivered() ? null : r.reply().lostAt(), causeHost, zh);
        if (r.data() != null && !r.data().delivered() && r.reply().delivered()) {
            sb.append(zh ? "数据段路径：" : "data path:").append('\n');
            PacketPath data = PacketPath.of(r, "data reply").isEmpty() ? PacketPath.of(r, "data") : PacketPath.of(r, "data reply");
            path(sb, data, r.data().lostAt(), causeHost, zh);
        }

        if (w.findings().isEmpty()) {
            sb.append('\n').append(zh ? "探测成功，无需修复。" : "The probe passes: nothing to fix.").append('\n');
            return sb.toString();
        }
        for (int i = 0; i < w.findings().size(); i++) {
            Finding f = w.findings().get(i);
            sb.append('\n').append(i == 0 ? (zh ? "根因：" : "root cause: ") : (zh ? "另一个原因：" : "also: "))
                    .append(zh ? named(Zh.cause(f.cause().id()), f.cause().id()) : f.cause().id())
                    .append(zh ? "，位于 " : " on ").append(f.host()).append('\n');
            sb.append("  ").append(zh ? Zh.text(f.summary()) : f.summary()).append('\n');
            if (f.evidence() != null && f.evidence() != Source.NONE && !(f.evidence().text().isEmpty() && f.evidence().file().isEmpty()))
                sb.append(zh ? "  证据：" : "  evidence: ").append(quote(f.evidence())).append('\n');
            sb.append(indent(wrap(f.cause().explanation(lang), 100), "  ")).append('\n');
        }

        sb.append('\n').append(zh ? "修复方案（已重新模拟验证）：" : "fixes (each verified by simulating again):").append('\n');
        if (w.fixes().isEmpty()) sb.append(zh ? "  （没有可自动生成的修复方案）\n" : "  (none generated for this cause)\n");
        else if (w.nonePasses())
            sb.append(zh ? "  没有一个方案能让探测通过（重新模拟后仍然失败）；下面第一个只是最接近的，单独用它不够。\n"
                    : "  No fix below makes the probe pass when simulated again; the first gets closest, and is not enough on its own.\n");
        for (RankedFix rf : w.fixes()) {
            Verification v = rf.verification();
            int n = rf.fix().changes().size();
            if (zh) sb.append("  ").append(rf.rank()).append(". ").append(fixName(rf.fix()))
                    .append("：").append(n).append(" 处改动，").append(rf.fix().keepsSource() ? "保留客户端真实地址" : "使用 NAT").append('\n');
            else sb.append("  ").append(rf.rank()).append(". ").append(rf.fix().id()).append(" (")
                    .append(n).append(n == 1 ? " change, " : " changes, ").append(rf.fix().keepsSource() ? "keeps the client's address" : "NAT")
                    .append(")\n");
            if (rf.fix().combined()) together(sb, rf.fix(), zh);
            sb.append("     ").append(rf.fix().combined() ? (zh ? "验证（两者一起应用）：" : "verified (both applied): ") : zh ? "验证：" : "verified: ")
                    .append(verdictOf(v, zh)).append('\n');
            for (Map.Entry<String, List<Change>> e : byHost(rf.fix().changes()).entrySet()) {
                Dialect d = net.host(e.getKey()) == null ? Dialect.LINUX : Dialect.of(net.host(e.getKey()));
                sb.append("     ").append(zh ? "在 " + e.getKey() + " 上：" : "on " + e.getKey() + ":").append('\n');
                for (Change c : e.getValue()) {
                    sb.append("       ").append(c.command()).append('\n');
                    for (roundtrip.model.Message note : c.notes()) sb.append("       ").append(zh ? "注：" + Zh.text(note) : "note: " + note.english()).append('\n');
                }
                List<roundtrip.model.Message> persist = new ArrayList<>();
                for (Change c : e.getValue()) if (!persist.contains(c.persistenceSummary(d))) persist.add(c.persistenceSummary(d));
                for (roundtrip.model.Message p : persist) sb.append("       ").append(zh ? "持久化：" + Zh.text(p) : "persist: " + p.english()).append('\n');
            }
            sb.append("     ").append(zh ? "代价：" : "trade-off: ").append(rf.fix().tradeOff(lang)).append('\n');
        }
        return sb.toString();
    }

    /** A fix's Chinese name with its id; a pair's is its parts' names joined. */
    private static String fixName(roundtrip.fix.Fix f) {
        if (!f.combined()) return named(Zh.fix(f.id()), f.id());
        List<String> names = new ArrayList<>();
        for (roundtrip.fix.Fix p : f.parts()) names.add(Zh.fix(p.id()) == null ? p.id() : Zh.fix(p.id()));
        return String.join(" + ", names) + "（" + f.id() + "）";
    }

    /** Why a pair: neither fix alone is enough, and what each part answers, in the order they are applied. */
    private static void together(StringBuilder sb, roundtrip.fix.Fix f, boolean zh) {
        sb.append("     ").append(zh ? "两处修复缺一不可：单独任何一个都不能让探测通过；先应用第一个，再次诊断发现第二个。"
                : "two fixes needed together: neither alone makes the probe pass; the second was found by diagnosing again with the first applied.")
                .append('\n');
        for (int i = 0; i < f.parts().size(); i++) {
            roundtrip.fix.Fix p = f.parts().get(i);
            Finding c = p.finding();
            String cause = zh ? named(Zh.cause(c.cause().id()), c.cause().id()) : c.cause().id();
            sb.append("       ").append(i + 1).append(") ").append(zh ? named(Zh.fix(p.id()), p.id()) : p.id())
                    .append(zh ? "：针对 " + c.host() + " 上的" + cause : ": for " + cause + " on " + c.host());
            List<String> hosts = new ArrayList<>(byHost(p.changes()).keySet());
            sb.append(zh ? "，改动在 " + String.join("、", hosts) + " 上" : ", changes on " + String.join(", ", hosts)).append('\n');
        }
    }

    /** The verdict said in Chinese (for the commands whose text is not why's). */
    public static String verdictSentenceZh(ProbeResult r) { return verdictSentence(r, true); }

    static String verdictSentence(ProbeResult r, boolean zh) {
        if (!zh) return TextReport.explain(r);
        return switch (r.verdict()) {
            case REQUEST_LOST -> "请求丢失" + at(r.request().lostAt());
            case REPLY_LOST -> "请求到达 " + r.request().deliveredTo() + "；应答丢失" + at(r.reply().lostAt());
            case ROUND_TRIP_OK -> "请求到达 " + r.request().deliveredTo() + "，应答已返回"
                    + (r.data() != null && !r.data().delivered() ? "；但连接卡住：第一次数据交换丢失" + at(r.data().lostAt()) : "");
        };
    }

    private static String at(LostAt l) {
        return l == null ? "" : "，位于 " + l.host() + "（" + Zh.stage(l.stage()) + "）：" + Zh.text(l.reason());
    }

    /** A Chinese name with the stable id beside it (the id is what scripts, the JSON and the English output use). */
    static String named(String chinese, String id) {
        return chinese == null ? id : chinese + "（" + id + "）";
    }

    private static void path(StringBuilder sb, PacketPath p, LostAt lost, String causeHost, boolean zh) {
        int width = 4;
        for (PacketPath.Hop h : p.hops()) width = Math.max(width, h.host.length());
        for (PacketPath.Hop h : p.hops()) {
            StringBuilder line = new StringBuilder("  ").append(pad(h.host, width)).append("  ");
            line.append(h.in == null ? (zh ? "（发出）" : "(sends)") : h.in).append(" -> ");
            if (h.out != null) line.append(h.out);
            // a tunnel daemon's socket took the datagram and dropped what was inside: not a delivery
            else if (h.local && h.drop == null) line.append(zh ? "（本机接收）" : "(delivered)");
            else line.append(zh ? "（丢弃）" : "(dropped)");
            if (h.routed() != null && h.out != null)
                line.append("   ").append(zh ? Zh.route(StepText.routeText(h.routed()), false) : StepText.route(h.routed()));
            if (h.underlay) line.append(zh ? "   （只转发隧道的加密数据报）" : "   (carries the tunnel's encrypted datagram)");
            if (h.drop != null && lost != null && lost.host().equals(h.host)) {
                if (zh) line.append("   <== 在此丢失（").append(Zh.stage(lost.stage())).append("）：").append(Zh.text(lost.reason()));
                else line.append("   <== LOST: ").append(lost.stage()).append(": ").append(lost.reason());
            }
            if (h.host.equals(causeHost)) line.append(zh ? "   <== 根因" : "   <== root cause");
            sb.append(line).append('\n');
        }
        if (lost != null && p.hops().stream().noneMatch(h -> h.drop != null && h.host.equals(lost.host()))) {
            if (zh) sb.append("  结果：在 ").append(lost.host()).append(" 上丢失（").append(Zh.stage(lost.stage())).append("）：")
                    .append(Zh.text(lost.reason())).append('\n');
            else sb.append("  outcome: ").append(lost.host()).append(" (").append(lost.stage()).append("): ").append(lost.reason()).append('\n');
        }
    }

    private static String verdictOf(Verification v, boolean zh) {
        if (v.error() != null) return zh ? "无法应用：" + Zh.text(v.error()) : "cannot be applied: " + v.error().english();
        String probe = v.fixesProbe() ? (zh ? "探测通过" : "the probe passes") : (zh ? "探测仍然失败" : "the probe still FAILS");
        long improved = v.checks().stream().filter(c -> !c.before() && c.after()).count();
        String others = v.regressions().isEmpty()
                ? (zh ? "；其余 " + v.checks().size() + " 个探测无退化" : "; no regression in " + v.checks().size() + " other probes")
                : (zh ? "；退化：" : "; REGRESSIONS: ") + String.join(", ", v.regressions());
        String better = improved == 0 ? "" : zh ? "（另有 " + improved + " 个变为通过）" : " (" + improved + " more now pass)";
        return probe + others + better;
    }

    private static Map<String, List<Change>> byHost(List<Change> changes) {
        Map<String, List<Change>> out = new LinkedHashMap<>();
        for (Change c : changes) out.computeIfAbsent(c.host(), h -> new ArrayList<>()).add(c);
        return out;
    }

    private static String quote(Source s) {
        if (s.text().isEmpty()) return s.where();   // a file as a whole (e.g. one that was not collected)
        return s.line() > 0 ? s.where() + ": " + s.text() : s.file().isEmpty() ? s.text() : s.file() + ": " + s.text();
    }

    private static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        boolean cjk = text.chars().anyMatch(ch -> ch >= 0x4e00 && ch <= 0x9fff);
        if (cjk) return wrapChinese(text, width);
        for (String word : text.split(" ")) {
            if (col > 0 && col + word.length() + 1 > width) { out.append('\n'); col = 0; }
            else if (col > 0) { out.append(' '); col++; }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }

    /** A quoted or backticked span, a run of Latin text, or one character: the pieces a Chinese line may break between. */
    private static final Pattern ATOM = Pattern.compile("\"[^\"\n]*\"|`[^`\n]*`|[\\x21-\\x7e]+|.");
    private static final String NO_LINE_START = "，。、；：）」』”！？";
    private static final String NO_LINE_END = "（「『“";

    /**
     * Chinese text in lines of at most {@code width} columns (a Chinese character takes two): breaks fall between
     * Chinese characters or at spaces, never inside a Latin word, an address or a quoted daemon message (they must
     * stay greppable), never before closing punctuation and never after opening punctuation.
     */
    private static String wrapChinese(String text, int width) {
        // pieces that must share a line become one unit: closing punctuation with what precedes it, opening with what follows
        List<String> units = new ArrayList<>();
        Matcher m = ATOM.matcher(text);
        boolean glueNext = false;
        while (m.find()) {
            String atom = m.group();
            boolean glue = glueNext || NO_LINE_START.indexOf(atom.charAt(0)) >= 0;
            if (glue && !units.isEmpty()) units.set(units.size() - 1, units.get(units.size() - 1) + atom);
            else units.add(atom);
            glueNext = NO_LINE_END.indexOf(atom.charAt(atom.length() - 1)) >= 0;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int col = 0;
        for (String unit : units) {
            int w = unit.codePoints().map(c -> c >= 0x2e80 ? 2 : 1).sum();
            if (col > 0 && col + w > width) {
                out.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                col = 0;
                if (unit.isBlank()) continue;
            }
            line.append(unit);
            col += w;
        }
        return out.append(line.toString().stripTrailing()).toString();
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }

    private static String pad(String s, int n) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < n) sb.append(' ');
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ JSON

    /** The design §2 objects, one per probe, with {@code diagnosis} and {@code fixes} filled in. */
    public static String json(List<Why.Result> results, Network net, String lang) {
        ArrayNode arr = Json.array();
        for (Why.Result w : results) arr.add(toJson(w, net, lang));
        return Json.pretty(arr);
    }

    public static ObjectNode toJson(Why.Result w, Network net, String lang) {
        boolean zh = "zh".equals(lang);
        ObjectNode o = JsonReport.toJson(w.result());
        o.put("summary", verdictSentence(w.result(), zh));
        ArrayNode diag = Json.array();
        for (Finding f : w.findings()) {
            ObjectNode d = diag.addObject();
            d.put("cause", f.cause().id());
            d.put("host", f.host());
            d.put("summary", zh ? Zh.text(f.summary()) : f.summary().english());
            if (f.evidence() != null && f.evidence() != Source.NONE) {
                ObjectNode e = d.putObject("evidence");
                if (!f.evidence().file().isEmpty()) e.put("file", f.evidence().file());
                if (f.evidence().line() > 0) e.put("line", f.evidence().line());
                e.put("text", f.evidence().text());
            } else d.putNull("evidence");
            d.put("explanation", f.cause().explanation(lang));
        }
        o.set("diagnosis", diag);
        ArrayNode fixes = Json.array();
        for (RankedFix rf : w.fixes()) {
            ObjectNode x = fixes.addObject();
            x.put("id", rf.fix().id());
            x.put("rank", rf.rank());
            x.put("cause", rf.fix().finding().cause().id());
            x.put("keepsSourceAddress", rf.fix().keepsSource());
            if (rf.fix().combined()) {
                // two fixes needed together, in the order they are applied; `changes` holds all of theirs
                ArrayNode parts = x.putArray("parts");
                for (roundtrip.fix.Fix p : rf.fix().parts()) {
                    ObjectNode pn = parts.addObject();
                    pn.put("id", p.id());
                    pn.put("cause", p.finding().cause().id());
                    pn.put("causeHost", p.finding().host());
                    ArrayNode cmds = pn.putArray("changes");
                    for (Change c : p.changes()) cmds.addObject().put("host", c.host()).put("command", c.command());
                }
            }
            ObjectNode hosts = x.putObject("changes");
            for (Map.Entry<String, List<Change>> e : byHost(rf.fix().changes()).entrySet()) {
                Dialect dialect = net.host(e.getKey()) == null ? Dialect.LINUX : Dialect.of(net.host(e.getKey()));
                ArrayNode list = hosts.putArray(e.getKey());
                for (Change c : e.getValue()) {
                    ObjectNode cn = list.addObject();
                    cn.put("command", c.command());
                    if (!c.shell()) cn.put("verbatim", false);
                    if (!c.notes().isEmpty()) c.notes().forEach(n -> cn.withArray("notes").add(zh ? Zh.text(n) : n.english()));
                    if (!c.equivalent().isEmpty()) c.equivalent().forEach(cn.putArray("equivalent")::add);
                    cn.put("persistence", zh ? Zh.text(c.persistence(dialect)) : c.persistence(dialect).english());
                }
            }
            x.put("tradeOff", rf.fix().tradeOff(lang));
            Verification v = rf.verification();
            ObjectNode vn = x.putObject("verification");
            vn.put("probePasses", v.fixesProbe());
            vn.put("clean", v.clean());
            if (v.error() != null) vn.put("error", zh ? Zh.text(v.error()) : v.error().english());
            ArrayNode reg = vn.putArray("regressions");
            v.regressions().forEach(reg::add);
            ArrayNode checks = vn.putArray("checked");
            for (Verification.Check c : v.checks()) {
                ObjectNode cn = checks.addObject();
                cn.put("probe", c.probe());
                cn.put("description", c.description());
                cn.put("before", c.before() ? "pass" : "fail");
                cn.put("after", c.after() ? "pass" : "fail");
            }
        }
        o.set("fixes", fixes);
        o.put("noFixPasses", w.nonePasses());
        return o;
    }
}
