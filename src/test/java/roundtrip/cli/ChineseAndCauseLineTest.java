package roundtrip.cli;

import org.junit.jupiter.api.Test;
import roundtrip.report.UntranslatedEnglish;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command speaks Chinese with {@code --lang zh}, and `check` and `trace` end a failing probe with the root
 * cause the diagnosis names (the mistake, which may be on another host than where the packet died), as `why` does.
 */
class ChineseAndCauseLineTest {
    private static final String SNAP = "examples/s2-missing-return-route/snapshot";
    private static final String PROBES = "examples/s2-missing-return-route/probes.json";

    @Test
    void checkNamesTheRootCauseNotOnlyWhereTheReplyDied() {
        CliTest.Run r = CliTest.run("check", "--snapshot", SNAP, "--probes", PROBES);
        assertThat(r.exit()).as(r.err()).isZero();
        // the reply dies on isp (forwarding off), the mistake is gw's route back
        assertThat(r.out()).contains("the reply is lost on isp (forwarding)")
                .contains("root cause: missing-return-route on gw: gw routes 10.200.0.2 by default via 192.0.2.1 dev wan0");
        // passing probes get no cause line
        String ok = r.out().lines().dropWhile(l -> !l.startsWith("ping-vpn-lan")).limit(2).reduce("", (a, b) -> a + b + "\n");
        assertThat(ok).doesNotContain("root cause");
    }

    @Test
    void traceEndsWithTheSameCauseInBothLanguages() {
        CliTest.Run en = CliTest.run("trace", "--snapshot", SNAP, "--from", "client", "--to", "10.198.0.20:22", "--proto", "tcp");
        assertThat(en.exit()).as(en.err()).isZero();
        assertThat(en.out().strip().lines().reduce((a, b) -> b).orElseThrow()).startsWith("root cause: missing-return-route on gw:");
        CliTest.Run zh = CliTest.run("trace", "--snapshot", SNAP, "--from", "client", "--to", "10.198.0.20:22", "--proto", "tcp", "--lang", "zh");
        assertThat(zh.exit()).as(zh.err()).isZero();
        assertThat(zh.out()).contains("请求：IP 10.200.0.2.40000 > 10.198.0.20.22: Flags [S]")
                .contains("应答：监听套接字回的 SYN-ACK")
                .contains("丢弃   转发环节：")
                .contains("结论：REPLY_LOST")
                .contains("根因：缺少回程路由（missing-return-route），位于 gw：");
        // packets (tcpdump lines), routes and the quoted sysctl line stay verbatim; nothing else is English
        List<String> verbatim = en.out().lines().filter(l -> l.contains(" IP ") || l.contains(" via ") || l.contains(" dev ")
                || l.contains("sysctl.txt")).map(l -> l.contains(": local ") || l.contains("forward: ") ? l.substring(l.indexOf(": ") + 2)
                : l.replaceFirst("^.*?(IP |default|local |snapshot/|\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)", "$1")).toList();
        assertThat(new UntranslatedEnglish(verbatim).offending(zh.out())).isEmpty();
    }

    @Test
    void checkInChineseKeepsVerdictNamesAndTranslatesTheRest() {
        CliTest.Run r = CliTest.run("check", "--snapshot", SNAP, "--probes", PROBES, "--lang", "zh");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssh-pc           REPLY_LOST    client -> 10.198.0.20 tcp/22  [符合预期]")
                .contains("请求到达 pc；应答丢失，位于 isp（转发）").contains("根因：缺少回程路由（missing-return-route），位于 gw");
        assertThat(new UntranslatedEnglish(List.of("client -> 10.198.0.20", "net.ipv4.ip_forward = 0", "default via 192.0.2.1 dev wan0"))
                .offending(r.out())).isEmpty();
    }

    @Test
    void diffInChinese() {
        CliTest.Run r = CliTest.run("diff", "--snapshot", "src/test/resources/snapshots/s09-unsaved/snapshot",
                "--probes", "src/test/resources/snapshots/s09-unsaved/probes.json", "--lang", "zh");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("主机 box：重启会丢掉 2 条当前的 iptables 规则").contains("  丢失：     *filter -A FORWARD -i tun0 -o ens160 -j ACCEPT")
                .contains("重启后改变结论的探测：").contains("phantun-syn: ROUND_TRIP_OK -> REQUEST_LOST  (请求丢失");
    }

    @Test
    void anUnknownLanguageIsAOneLineError() {
        for (List<String> cmd : List.of(List.of("check", "--probes", PROBES), List.of("trace", "--from", "client", "--to", "10.198.0.20"),
                List.of("diff"))) {
            List<String> args = new java.util.ArrayList<>(cmd);
            args.addAll(List.of("--snapshot", SNAP, "--lang", "fr"));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(cmd.get(0)).isEqualTo(2);
            assertThat(r.err().strip()).as(cmd.get(0)).doesNotContain("\n").contains("--lang");
        }
    }
}
