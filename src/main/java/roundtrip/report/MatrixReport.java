package roundtrip.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.model.Packet;
import roundtrip.model.Source;
import roundtrip.sim.LostAt;
import roundtrip.sim.Matrix;
import roundtrip.sim.MatrixSummary;
import roundtrip.sim.MatrixSummary.Change;
import roundtrip.sim.ProbeResult;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `roundtrip matrix` output: one JSON object per pair (JSON lines, the design §2 fields of check where they apply),
 * and the summary for people: counts, the failing pairs grouped by cause and by host, and against a baseline the
 * pairs whose verdict changed. English, or Chinese with lang "zh".
 */
public final class MatrixReport {
    private MatrixReport() {}

    /** Cause groups listed in the summary; the rest are counted. */
    static final int GROUPS = 20;
    /** Hosts listed per direction in the summary; the rest are counted. */
    static final int HOSTS = 10;

    /**
     * One pair as a JSON line: id, from, target (the host owning the address), to, proto, dport, then check's fields
     * (hops only when asked). Against a baseline: {@code change} and the baseline's fields under {@code baseline}
     * (null where the baseline lacks the pair); a pair gone from this network has a null verdict.
     */
    public static String jsonLine(Matrix.Outcome o, boolean hops, boolean comparing) {
        Matrix.Pair p = o.pair();
        ObjectNode j = Json.object();
        j.put("id", p.id());
        j.put("from", p.from());
        j.put("target", p.target().host());
        j.put("to", p.target().address().toString());
        j.put("proto", Packet.protoName(p.target().service().proto()));
        if (p.target().service().proto() != Packet.ICMP) j.put("dport", p.target().service().port());
        // --all-ports: the class of ports the probed one stands for
        if (p.target().service().isClass()) j.put("dport_high", p.target().service().high());
        if (o.now() != null) JsonReport.outcome(j, o.now(), hops);
        else j.putNull("verdict");
        if (comparing) {
            Change c = MatrixSummary.change(o, true);
            if (c == null) j.putNull("change"); else j.put("change", c.name().toLowerCase(Locale.ROOT));
            if (o.before() == null) {
                j.putNull("baseline");
            } else {
                ObjectNode b = j.putObject("baseline");
                JsonReport.outcome(b, o.before(), hops);
            }
        }
        return Json.compact(j);
    }

    /** --all-ports: the port classes probed, and why they may not be exact. */
    public static String portClassesText(roundtrip.netfilter.PortCuts cuts, String lang) {
        boolean zh = "zh".equals(lang);
        int tcp = cuts.classes(Packet.TCP).size(), udp = cuts.classes(Packet.UDP).size();
        StringBuilder sb = new StringBuilder(zh
                ? "端口分类：每对主机只按其报文经过的主机上的规则比较端口的范围和监听端口切分，同一类的端口被这些规则同样对待，"
                        + "每类探测其第一个端口；经过全部主机时最多 tcp " + tcp + " 类，udp " + udp + " 类\n"
                : "port classes: per pair, cut by the port ranges the rules of the hosts its packets enter compare with and by"
                        + " their listening ports; those rules treat the ports of a class alike, and each class is probed at its first"
                        + " port; at most tcp " + tcp + ", udp " + udp + " classes (a path through every host)\n");
        for (roundtrip.model.Message why : cuts.inexactReasons())
            sb.append(zh ? "  不精确：" : "  not exact: ").append(zh ? Zh.text(why) : why.english()).append('\n');
        return sb.toString();
    }

    /** --all-ports: how many classes were probed for how many address-protocol pairs. */
    public static String classesProbedText(long classes, long pairs, String lang) {
        double mean = pairs == 0 ? 0 : (double) classes / pairs;
        return "zh".equals(lang)
                ? String.format(Locale.ROOT, "共探测 %,d 个端口类，覆盖 %,d 个“地址 + 协议”组合（平均每个 %.1f 类）%n", classes, pairs, mean)
                : String.format(Locale.ROOT, "probed %,d port classes for %,d address-protocol pairs (%.1f per pair)%n", classes, pairs, mean);
    }

    /** --all-ports: one address of a target as seen from one host: ping, open ports, filtered ranges; the rest refused. */
    public static String reachText(roundtrip.sim.PortReach.Reach r, String lang) {
        boolean zh = "zh".equals(lang);
        StringBuilder sb = new StringBuilder();
        sb.append(r.from()).append(" -> ").append(r.target()).append(' ').append(r.address()).append(": ");
        if (r.pingAnswered() != null) sb.append(zh ? (r.pingAnswered() ? "ping 通" : "ping 不通") : (r.pingAnswered() ? "ping ok" : "ping fails"));
        for (int proto : new int[] {Packet.TCP, Packet.UDP}) {
            List<roundtrip.sim.PortReach.Range> open = r.ranges().stream()
                    .filter(x -> x.proto() == proto && x.status() == roundtrip.sim.PortReach.Status.OPEN).toList();
            if (!open.isEmpty())
                sb.append(zh ? "；" + Packet.protoName(proto) + " 开放 " : "; " + Packet.protoName(proto) + " open ").append(ranges(open));
        }
        for (roundtrip.sim.PortReach.Range f : r.ranges()) {
            boolean request = f.status() == roundtrip.sim.PortReach.Status.REQUEST_LOST;
            if (!request && f.status() != roundtrip.sim.PortReach.Status.ANSWER_LOST) continue;
            sb.append("\n    ").append(Packet.protoName(f.proto())).append(' ').append(range(f)).append(zh ? "：" : ": ");
            if (zh) sb.append(request ? "请求" : "应答").append(f.lostHost() == null ? "丢失" : "在 " + f.lostHost() + " 丢失：" + Zh.text(f.lostReason()));
            else sb.append(request ? "the request" : "the answer").append(" is lost").append(f.lostHost() == null ? "" : " on " + f.lostHost() + ": " + f.lostReason());
            if (f.rule() != null && f.rule() != Source.NONE) sb.append(zh ? "（" : " (").append(f.rule().where()).append(": ").append(f.rule().text()).append(zh ? "）" : ")");
        }
        if (!r.of(roundtrip.sim.PortReach.Status.REFUSED).isEmpty()) sb.append(zh ? "\n    其余端口：到达但被拒绝（没有程序监听）" : "\n    other ports: arrive and are refused (nothing listens)");
        return sb.append('\n').toString();
    }

    private static String ranges(List<roundtrip.sim.PortReach.Range> rs) {
        StringBuilder sb = new StringBuilder();
        for (roundtrip.sim.PortReach.Range x : rs) sb.append(sb.length() == 0 ? "" : ", ").append(range(x));
        return sb.toString();
    }

    private static String range(roundtrip.sim.PortReach.Range x) { return x.low() == x.high() ? String.valueOf(x.low()) : x.low() + "-" + x.high(); }

    /** The summary: what works and what fails, grouped; the changes against the baseline when there is one. */
    public static String text(MatrixSummary s, int hosts, String lang) {
        boolean zh = "zh".equals(lang);
        StringBuilder sb = new StringBuilder();
        StringBuilder perService = new StringBuilder();
        for (Map.Entry<String, Long> e : s.services().entrySet())
            perService.append(perService.length() == 0 ? "" : zh ? "，" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        if (zh) {
            sb.append("矩阵：").append(hosts).append(" 台主机，").append(s.pairs()).append(" 对（每台主机到其他每台主机的每个地址")
                    .append(perService.length() == 0 ? "" : "：" + perService).append("）\n");
            sb.append("  ").append(s.working()).append(" 对通，").append(s.failing()).append(" 对不通");
            if (s.failing() > 0) sb.append("：REQUEST_LOST ").append(s.verdict(ProbeResult.Verdict.REQUEST_LOST))
                    .append("，REPLY_LOST ").append(s.verdict(ProbeResult.Verdict.REPLY_LOST));
            if (s.dataLost() > 0) sb.append("；其中 ").append(s.dataLost()).append(" 对 tcp 握手成功但数据交换丢失");
            if (s.uncertain() > 0) sb.append("；").append(s.uncertain()).append(" 对不确定（路径上有未能理解的配置，见警告）");
            sb.append('\n');
        } else {
            sb.append("matrix: ").append(hosts).append(hosts == 1 ? " host, " : " hosts, ").append(s.pairs())
                    .append(" pairs (every host to each address of every other host").append(perService.length() == 0 ? "" : ": " + perService)
                    .append(")\n");
            sb.append("  ").append(s.working()).append(" work, ").append(s.failing()).append(" fail");
            if (s.failing() > 0) sb.append(": REQUEST_LOST ").append(s.verdict(ProbeResult.Verdict.REQUEST_LOST))
                    .append(", REPLY_LOST ").append(s.verdict(ProbeResult.Verdict.REPLY_LOST));
            if (s.dataLost() > 0) sb.append("; of these, ").append(s.dataLost()).append(" tcp pairs open but lose their first data exchange");
            if (s.uncertain() > 0) sb.append("; ").append(s.uncertain()).append(" uncertain (configuration on their path was not understood, see the warnings)");
            sb.append('\n');
        }
        if (s.failing() == 0) {
            if (s.pairs() > 0) sb.append(zh ? "所有探测对都通。\n" : "every pair works.\n");
        } else {
            sb.append('\n').append(zh ? "不通的探测对，按原因：\n" : "failing pairs by cause:\n");
            groups(sb, s.failures(), false, zh);
            sb.append('\n').append(zh ? "不通的探测对，按主机：\n" : "failing pairs by host:\n");
            hosts(sb, s.failingFrom(), zh ? "从 %s 发出：%d / %d 对不通" : "from %s: %d of %d pairs fail", zh);
            hosts(sb, s.failingTo(), zh ? "发往 %s：%d / %d 对不通" : "to %s: %d of %d pairs fail", zh);
        }
        if (s.comparing()) baseline(sb, s, zh);
        return sb.toString();
    }

    private static void baseline(StringBuilder sb, MatrixSummary s, boolean zh) {
        sb.append('\n');
        if (s.changes() == 0) {
            sb.append(zh ? "与基线相比：没有探测对的结果改变。\n" : "compared with the baseline: no pair changed its verdict.\n");
            return;
        }
        if (zh) {
            sb.append("与基线相比：").append(s.changes()).append(" 对的结果改变了\n");
            sb.append("  ").append(s.changes(Change.REGRESSED)).append(" 对原来通，现在不通\n");
            sb.append("  ").append(s.changes(Change.FIXED)).append(" 对原来不通，现在通了\n");
            sb.append("  ").append(s.changes(Change.CHANGED)).append(" 对仍不通，但结果不同\n");
            sb.append("  ").append(s.changes(Change.GONE)).append(" 对已不存在（源主机不在此网络中），")
                    .append(s.changes(Change.NEW)).append(" 对是新增的（源主机不在基线中）\n");
        } else {
            sb.append("compared with the baseline: ").append(s.changes()).append(" pairs changed their verdict\n");
            sb.append("  ").append(s.changes(Change.REGRESSED)).append(" worked and now fail\n");
            sb.append("  ").append(s.changes(Change.FIXED)).append(" failed and now work\n");
            sb.append("  ").append(s.changes(Change.CHANGED)).append(" still fail, differently\n");
            sb.append("  ").append(s.changes(Change.GONE)).append(" are gone (their source host is not in this network), ")
                    .append(s.changes(Change.NEW)).append(" are new (their source host is not in the baseline)\n");
        }
        section(sb, s, Change.REGRESSED, zh ? "原来通、现在不通的，按现在的原因：" : "worked, now fail, by cause:", zh);
        section(sb, s, Change.FIXED, zh ? "原来不通、现在通了的，按原来的原因：" : "failed, now work, by the cause they had:", zh);
        section(sb, s, Change.CHANGED, zh ? "仍不通但结果不同的，按现在的原因：" : "still fail, differently, by cause:", zh);
        section(sb, s, Change.GONE, zh ? "已不存在的：" : "gone:", zh);
        section(sb, s, Change.NEW, zh ? "新增的：" : "new:", zh);
    }

    private static void section(StringBuilder sb, MatrixSummary s, Change c, String title, boolean zh) {
        if (s.changes(c) == 0) return;
        sb.append('\n').append(title).append('\n');
        groups(sb, s.changed(c), true, zh);
    }

    private static void groups(StringBuilder sb, List<MatrixSummary.Group> groups, boolean withBefore, boolean zh) {
        int shown = 0;
        long restPairs = 0;
        for (MatrixSummary.Group g : groups) {
            if (shown == GROUPS) { restPairs += g.count(); continue; }
            shown++;
            String count = String.format(Locale.ROOT, "%6d  ", g.count());
            sb.append(count).append(cause(g.cause(), zh)).append('\n');
            LostAt at = g.cause().at();
            if (at != null && at.source() != null && at.source() != Source.NONE && !at.source().text().isEmpty())
                sb.append("        ").append(quote(at.source())).append('\n');
            for (MatrixSummary.Example e : g.examples()) sb.append("          ").append(pair(e, withBefore)).append('\n');
            long more = g.count() - g.examples().size();
            if (more > 0) sb.append("          ").append(zh ? "还有 " + more + " 对" : "and " + more + " more").append('\n');
        }
        if (groups.size() > GROUPS)
            sb.append("  ").append(zh ? "还有 " + (groups.size() - GROUPS) + " 个原因（" + restPairs + " 对）；--format jsonl 列出每一对"
                    : "and " + (groups.size() - GROUPS) + " more causes (" + restPairs + " pairs); --format jsonl lists every pair").append('\n');
    }

    private static void hosts(StringBuilder sb, List<Map.Entry<String, MatrixSummary.HostCount>> hosts, String format, boolean zh) {
        int shown = 0;
        for (Map.Entry<String, MatrixSummary.HostCount> e : hosts) {
            if (shown++ == HOSTS) break;
            sb.append("  ").append(String.format(Locale.ROOT, format, e.getKey(), e.getValue().failing(), e.getValue().pairs())).append('\n');
        }
        if (hosts.size() > HOSTS) sb.append("  ").append(zh ? "还有 " + (hosts.size() - HOSTS) + " 台主机" : "and " + (hosts.size() - HOSTS) + " more hosts").append('\n');
    }

    /** "reply lost on gw (routing): no route ..." */
    static String cause(MatrixSummary.Cause c, boolean zh) {
        LostAt at = c.at();
        if (at == null) return zh ? "（通）" : "(worked)";
        if (zh) {
            String half = switch (c.half()) {
                case "request" -> "请求";
                case "reply" -> "应答";
                default -> "握手后的数据交换";
            };
            return half + "在 " + at.host() + " 上丢失（" + Zh.stage(at.stage()) + "）：" + Zh.text(at.reason());
        }
        String half = c.half().equals("data") ? "data after the handshake" : c.half();
        return half + " lost on " + at.host() + " (" + at.stage() + "): " + at.reason();
    }

    /** "pc -> lanhost 192.168.4.20 tcp/22  REPLY_LOST" (with the baseline's verdict first when comparing). */
    static String pair(MatrixSummary.Example e, boolean withBefore) {
        Matrix.Pair p = e.pair();
        String head = p.from() + " -> " + p.target().host() + " " + p.target().address() + " " + p.target().service();
        String now = e.now() == null ? "-" : e.now().name();
        if (!withBefore) return head + "  " + now;
        return head + "  " + (e.before() == null ? "-" : e.before().name()) + " -> " + now;
    }

    private static String quote(Source s) {
        return s.line() > 0 ? s.where() + ": " + s.text() : s.file().isEmpty() ? s.text() : s.file() + ": " + s.text();
    }
}
