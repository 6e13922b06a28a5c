package roundtrip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `roundtrip matrix`: the same verdicts as check, the summary, JSON lines, and the baseline's exit codes. */
class MatrixCommandTest {
    private static final String SMALL = "src/test/resources/matrix/small.yaml";
    private static final String SMALL_FIXED = "src/test/resources/matrix/small-fixed.yaml";
    private static final String S2 = "examples/s2-missing-return-route/snapshot";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String l : out.split("\n")) if (!l.isBlank()) rows.add(JSON.readTree(l));
        return rows;
    }

    /** Each pair's probe, written as a probe file and run by check, must get the matrix's verdict and halves. */
    private void sameAsCheck(String... input) throws Exception {
        List<String> args = new ArrayList<>(List.of("matrix", "--format", "jsonl"));
        args.addAll(List.of(input));
        CliTest.Run m = CliTest.run(args.toArray(String[]::new));
        assertThat(m.exit()).as(m.err()).isZero();
        List<JsonNode> rows = lines(m.out());
        assertThat(rows).isNotEmpty();
        ArrayNode probes = JSON.createArrayNode();
        for (JsonNode r : rows) {
            ObjectNode p = probes.addObject();
            for (String f : List.of("id", "from", "to", "proto", "dport")) if (r.has(f)) p.set(f, r.get(f));
        }
        Path file = tmp.resolve("pairs.json");
        Files.writeString(file, JSON.writeValueAsString(probes));
        List<String> check = new ArrayList<>(List.of("check", "--format", "json", "--probes", file.toString()));
        for (String a : input) if (!a.equals("--all-ports")) check.add(a);   // matrix's own option
        CliTest.Run c = CliTest.run(check.toArray(String[]::new));
        assertThat(c.exit()).as(c.err()).isZero();
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode r : JSON.readTree(c.out())) byId.put(r.get("id").asText(), r);
        for (JsonNode r : rows) {
            JsonNode expected = byId.get(r.get("id").asText());
            for (String f : List.of("verdict", "request", "reply", "data", "certain"))
                assertThat(r.get(f)).as(r.get("id") + " " + f).isEqualTo(expected.get(f));
        }
    }

    @Test
    void verdictsAreChecksForTheSameProbes() throws Exception {
        sameAsCheck("--network", SMALL);
        sameAsCheck("--snapshot", S2);
    }

    /** --all-ports: one probe per port class; the same verdicts as check for those probes; per address the open ports. */
    @Test
    void allPortsProbesOnePortPerClassAndListsWhatIsOpen() throws Exception {
        sameAsCheck("--network", SMALL, "--all-ports");
        CliTest.Run j = CliTest.run("matrix", "--network", SMALL, "--all-ports", "--format", "jsonl");
        assertThat(j.exit()).as(j.err()).isZero();
        List<JsonNode> rows = lines(j.out());
        // a class is its first port and its last; a class of one port has no dport_high
        assertThat(rows).anyMatch(r -> r.path("dport").asInt() == 1 && r.path("dport_high").asInt() == 21);
        assertThat(rows).anyMatch(r -> r.path("dport").asInt() == 22 && !r.has("dport_high"));
        CliTest.Run t = CliTest.run("matrix", "--network", SMALL, "--all-ports");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).startsWith("port classes: per pair")
                .contains("client -> server 10.0.2.20: ping ok; udp open 53")
                .contains("tcp 22: the request is lost on router: netfilter: dropped by a rule in filter FORWARD");
        CliTest.Run zh = CliTest.run("matrix", "--network", SMALL, "--all-ports", "--lang", "zh");
        assertThat(zh.out()).startsWith("端口分类：").contains("请求在 router 丢失");
        CliTest.Run both = CliTest.run("matrix", "--network", SMALL, "--all-ports", "--ports", "tcp/22");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--all-ports and --ports do not go together");
    }

    @Test
    void theSummaryNamesTheFailingPairItsRuleAndItsHosts() {
        CliTest.Run r = CliTest.run("matrix", "--network", SMALL);
        assertThat(r.exit()).as(r.err()).isZero();
        // 3 hosts; client: 1 address (icmp + tcp/22), router: 2 addresses (icmp only: listen []), server: 1 address
        // (icmp, tcp/22, udp/53; the 127.0.0.1 listener is not reachable from elsewhere)
        assertThat(r.out()).contains("3 hosts, 14 pairs").contains("13 work, 1 fail: REQUEST_LOST 1")
                .contains("request lost on router (netfilter)")
                .contains("small.yaml:17: -A FORWARD -i lan1 -o lan2 -p tcp --dport 22 -j DROP")
                .contains("client -> server 10.0.2.20 tcp/22  REQUEST_LOST")
                .contains("from client: 1 of 5 pairs fail").contains("to server: 1 of 6 pairs fail");
    }

    @Test
    void everyPairOnceAsAJsonLineWithChecksFieldsAndNoHopsUnlessAsked() throws Exception {
        List<JsonNode> rows = lines(CliTest.run("matrix", "--network", SMALL, "--format", "jsonl").out());
        assertThat(rows).hasSize(14);
        assertThat(rows.stream().map(r -> r.get("id").asText()).distinct()).hasSize(14);
        for (JsonNode r : rows) {
            assertThat(r.has("hops")).isFalse();
            for (String f : List.of("id", "from", "target", "to", "proto", "verdict", "request", "reply", "certain", "uncertain"))
                assertThat(r.has(f)).as(f).isTrue();
            assertThat(r.get("from").asText()).isNotEqualTo(r.get("target").asText());
            assertThat(r.get("request").has("deliveredTo")).isTrue();
            boolean tcp = r.get("proto").asText().equals("tcp");
            assertThat(r.has("data")).isEqualTo(tcp);
            assertThat(r.has("dport")).isEqualTo(!r.get("proto").asText().equals("icmp"));
        }
        JsonNode ssh = rows.stream().filter(r -> r.get("id").asText().equals("client->server:10.0.2.20:tcp/22")).findFirst().orElseThrow();
        assertThat(ssh.get("verdict").asText()).isEqualTo("REQUEST_LOST");
        assertThat(ssh.at("/request/lostAt/host").asText()).isEqualTo("router");
        assertThat(ssh.at("/request/lostAt/stage").asText()).isEqualTo("netfilter");
        assertThat(ssh.at("/request/lostAt/rule/line").asInt()).isEqualTo(17);

        List<JsonNode> withHops = lines(CliTest.run("matrix", "--network", SMALL, "--format", "jsonl", "--hops").out());
        assertThat(withHops).allSatisfy(r -> assertThat(r.get("hops").size()).isPositive());
    }

    @Test
    void portsReplaceTheListeners() throws Exception {
        List<JsonNode> rows = lines(CliTest.run("matrix", "--network", SMALL, "--format", "jsonl", "--ports", "tcp/80,udp/123").out());
        // every one of the 4 addresses: icmp, tcp/80, udp/123; from each of the 2 other hosts
        assertThat(rows).hasSize(4 * 3 * 2);
        assertThat(rows).noneMatch(r -> r.path("dport").asInt() == 22);
        assertThat(CliTest.run("matrix", "--network", SMALL, "--ports", "sctp/9").exit()).isEqualTo(2);
        assertThat(CliTest.run("matrix", "--network", SMALL, "--ports", "tcp/99999").exit()).isEqualTo(2);
    }

    @Test
    void baselineExitsOneWhenAPairThatWorkedFailsNow() throws Exception {
        CliTest.Run broke = CliTest.run("matrix", "--network", SMALL, "--baseline", SMALL_FIXED);
        assertThat(broke.exit()).as(broke.err()).isEqualTo(1);
        assertThat(broke.out()).contains("1 pairs changed their verdict").contains("1 worked and now fail")
                .contains("client -> server 10.0.2.20 tcp/22  ROUND_TRIP_OK -> REQUEST_LOST");

        CliTest.Run fixed = CliTest.run("matrix", "--network", SMALL_FIXED, "--baseline", SMALL);
        assertThat(fixed.exit()).as(fixed.err()).isZero();
        assertThat(fixed.out()).contains("1 failed and now work");

        CliTest.Run same = CliTest.run("matrix", "--network", SMALL, "--baseline", SMALL);
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("no pair changed its verdict");

        // JSON lines list only the changed pairs, with the baseline's fields
        List<JsonNode> changed = lines(CliTest.run("matrix", "--network", SMALL, "--baseline", SMALL_FIXED, "--format", "jsonl").out());
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).get("change").asText()).isEqualTo("regressed");
        assertThat(changed.get(0).at("/baseline/verdict").asText()).isEqualTo("ROUND_TRIP_OK");
        assertThat(changed.get(0).get("verdict").asText()).isEqualTo("REQUEST_LOST");
    }

    @Test
    void aPairWhoseSourceIsStillThereButWhoseTargetIsGoneIsARegression() {
        // S2's snapshot as the baseline of a network file that shares only the host name "client": client's pairs to
        // S2's addresses are simulated in both (they worked there, nothing owns them now); the pairs of S2's other
        // hosts are gone, those of the file's other hosts new
        CliTest.Run r = CliTest.run("matrix", "--network", SMALL, "--baseline", S2);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("client -> vpn 10.198.0.10 tcp/22  ROUND_TRIP_OK -> REQUEST_LOST")
                .containsPattern("[1-9][0-9]* are gone \\(their source host is not in this network\\), [1-9][0-9]* are new");
    }

    @Test
    void badInputIsOneLineExitTwo() {
        CliTest.Run missing = CliTest.run("matrix", "--network", SMALL, "--baseline", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("nope").doesNotContain("\n");
        assertThat(CliTest.run("matrix", "--network", SMALL, "--format", "json").exit()).isEqualTo(2);
        assertThat(CliTest.run("matrix").exit()).isEqualTo(2);
    }

    @Test
    void theSummaryInChinese() {
        CliTest.Run r = CliTest.run("matrix", "--network", SMALL, "--baseline", SMALL_FIXED, "--lang", "zh");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("矩阵：3 台主机，14 对").contains("不通的探测对，按原因：").contains("请求在 router 上丢失（防火墙）")
                .contains("从 client 发出：1 / 5 对不通").contains("与基线相比：1 对的结果改变了").contains("原来通、现在不通的，按现在的原因：")
                .doesNotContain("worked", "fail:", "pairs");
    }

    /**
     * A big network repeats one warning for every host or rule: matrix shows the first few of each kind and says how
     * many more there are; --all-warnings shows every one, as check does.
     */
    @Test
    void warningsOfOneKindBeyondTheFirstFewAreCounted() throws Exception {
        Path snap = tmp.resolve("gen");
        // the generated snapshot's hosts have no ss-listen.txt: a "not collected" warning for each
        roundtrip.bench.NetworkGenerator.Generated g =
                roundtrip.bench.NetworkGenerator.generate(new roundtrip.bench.NetworkGenerator.Config(20, 200, 50, 10, 3), s -> {});
        roundtrip.bench.SnapshotWriter.write(g, snap);
        String notCollected = "not collected: ss-listen.txt";

        CliTest.Run every = CliTest.run("matrix", "--snapshot", snap.toString(), "--all-warnings");
        assertThat(every.exit()).as(every.err()).isZero();
        int hosts = (int) every.err().lines().filter(l -> l.contains(notCollected)).count();
        assertThat(hosts).isGreaterThan(MatrixCommand.WARNINGS_PER_KIND + 1);

        CliTest.Run some = CliTest.run("matrix", "--snapshot", snap.toString());
        assertThat(some.exit()).as(some.err()).isZero();
        assertThat(some.out()).isEqualTo(every.out());
        List<String> lines = some.err().lines().filter(l -> l.contains(notCollected)).toList();
        assertThat(lines).hasSize(MatrixCommand.WARNINGS_PER_KIND + 1);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("roundtrip: warning: and " + (hosts - MatrixCommand.WARNINGS_PER_KIND)
                + " more like \"" + notCollected + " (every probed port taken as open)\" (--all-warnings shows every one)");
        // what is shown is shown in full, and is a warning of the whole list
        List<String> shown = some.err().lines().filter(l -> l.startsWith("roundtrip: warning: ") && !l.contains(" more like ")).toList();
        assertThat(every.err().lines().toList()).containsAll(shown);
        assertThat(shown.size()).isLessThan((int) every.err().lines().filter(l -> l.startsWith("roundtrip: warning: ")).count());

        CliTest.Run zh = CliTest.run("matrix", "--snapshot", snap.toString(), "--lang", "zh");
        assertThat(zh.err()).contains("另有 " + (hosts - MatrixCommand.WARNINGS_PER_KIND) + " 条同类警告未显示");
    }
}
