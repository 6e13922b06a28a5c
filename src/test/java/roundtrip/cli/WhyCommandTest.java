package roundtrip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import roundtrip.fix.VerbatimTexts;
import roundtrip.fix.Why;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.UntranslatedEnglish;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `roundtrip why` on the S2 snapshot built by the lab: output order, both languages, the JSON fields. */
class WhyCommandTest {
    private static final Path S2 = Path.of("src/test/resources/why/s02-return-route-broken");

    private static CliTest.Run why(String... extra) {
        String[] base = {"why", "--snapshot", S2.resolve("snapshot").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliTest.run(args);
    }

    @Test void textSaysVerdictPathsCauseThenFixes() {
        CliTest.Run r = why("--from", "client", "--to", "10.198.0.20:22", "--proto", "tcp", "--target", "pc");
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("the request reaches pc; the reply is lost on isp");
        assertThat(out).contains("  gw    eth0 -> wan0   default via 192.0.2.1 dev wan0   <== root cause");
        assertThat(out).contains("root cause: missing-return-route on gw");
        assertThat(out).contains("evidence: snapshot/gw/ip-route.json:1: default via 192.0.2.1 dev wan0");
        assertThat(out).contains("  1. return-route (1 change, keeps the client's address)\n"
                + "     verified: the probe passes; no regression in 5 other probes (1 more now pass)\n"
                + "     on gw:\n"
                + "       ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0\n");
        assertThat(out.indexOf("request path:")).isLessThan(out.indexOf("reply path:"));
        assertThat(out.indexOf("reply path:")).isLessThan(out.indexOf("root cause:"));
        assertThat(out.indexOf("root cause:")).isLessThan(out.indexOf("fixes"));
        assertThat(out).contains("trade-off: quick, but the hosts behind vpn see 10.198.0.10 instead of the client's address");
    }

    @Test void chineseExplanationsAndHeadings() {
        CliTest.Run r = why("--from", "client", "--to", "10.198.0.20", "--target", "pc", "--lang", "zh");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("请求到达 pc；应答丢失，位于 isp（转发）：目的地址不是本机，而 eth0 上没有开启转发（net.ipv4.ip_forward = 0）")
                .contains("根因：缺少回程路由（missing-return-route），位于 gw")
                .contains("  gw 按 `default via 192.0.2.1 dev wan0` 送出去往 10.200.0.2 的应答，而不是送回请求的来路 vpn（vpn 就在 gw 的 eth0 那一侧）")
                .contains("  1. 加回程路由（return-route）：1 处改动，保留客户端真实地址")
                .contains("持久化：/etc/network/interfaces：").contains("修复方案").contains("在 gw 上：")
                // the commands and the quoted evidence stay as written
                .contains("       ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0\n")
                .contains("证据：snapshot/gw/ip-route.json:1: default via 192.0.2.1 dev wan0");
    }

    @Test void chineseLeavesNoEnglishSentenceOnAnyProbeOfTheFile() {
        CliTest.Run r = why("--probes", S2.resolve("probes.json").toString(), "--lang", "zh");
        assertThat(r.exit()).as(r.err()).isZero();
        Network net = SnapshotLoader.load(S2.resolve("snapshot"));
        List<Probe> probes = ProbeReader.readLocated(S2.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        Why why = new Why(net);
        List<Why.Result> results = probes.stream().map(p -> why.explain(p, probes)).toList();
        assertThat(new UntranslatedEnglish(VerbatimTexts.of(net, results)).offending(r.out())).isEmpty();
    }

    @Test void jsonCarriesDiagnosisAndFixesInTheDesignObjects() throws Exception {
        CliTest.Run r = why("--probes", S2.resolve("probes.json").toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertThat(arr).hasSize(5);
        JsonNode ok = arr.get(0);
        assertThat(ok.get("verdict").asText()).isEqualTo("ROUND_TRIP_OK");
        assertThat(ok.get("diagnosis")).isEmpty();
        JsonNode ping = arr.get(2);
        assertThat(ping.get("id").asText()).isEqualTo("ping-pc");
        assertThat(ping.get("request").get("deliveredTo").asText()).isEqualTo("pc");
        JsonNode d = ping.get("diagnosis").get(0);
        assertThat(d.get("cause").asText()).isEqualTo("missing-return-route");
        assertThat(d.get("host").asText()).isEqualTo("gw");
        assertThat(d.get("evidence").get("file").asText()).isEqualTo("snapshot/gw/ip-route.json");
        assertThat(d.get("evidence").get("line").asInt()).isEqualTo(1);
        assertThat(d.get("explanation").asText()).startsWith("The request gets there");
        JsonNode f = ping.get("fixes").get(0);
        assertThat(f.get("id").asText()).isEqualTo("return-route");
        assertThat(f.get("rank").asInt()).isEqualTo(1);
        assertThat(f.get("changes").get("gw").get(0).get("command").asText()).isEqualTo("ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0");
        assertThat(f.get("changes").get("gw").get(0).get("persistence").asText()).contains("/etc/network/interfaces");
        assertThat(f.get("verification").get("probePasses").asBoolean()).isTrue();
        assertThat(f.get("verification").get("regressions")).isEmpty();
        // the file's other probes and the automatic neighbour probes were checked
        assertThat(f.get("verification").get("checked").findValuesAsText("probe")).contains("ssh-vpn-lan", "neighbour:pc-gateway");
    }

    @Test void needsAProbe() {
        CliTest.Run r = why();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--from HOST --to IP[:PORT], or --probes FILE");
    }
}
