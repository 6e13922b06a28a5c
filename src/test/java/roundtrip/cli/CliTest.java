package roundtrip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line contract on the bundled example (a snapshot collected from real namespaces). */
class CliTest {
    private static final Path EXAMPLE = Path.of("examples/s2-missing-return-route");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Path snap;
    Path probes;

    public record Run(int exit, String out, String err) {}

    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(o, e, args);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void copyExample() throws IOException {
        snap = tmp.resolve("snapshot");
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("snapshot"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = snap.resolve(EXAMPLE.resolve("snapshot").relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to); else Files.copy(p, to);
            }
        }
        probes = tmp.resolve("probes.json");
        Files.copy(EXAMPLE.resolve("probes.json"), probes);
    }

    private Run check(String format) {
        return run("check", "--snapshot", snap.toString(), "--probes", probes.toString(), "--format", format);
    }

    @Test
    void checkPrintsOneObjectPerProbeInFileOrder() throws IOException {
        Run r = check("json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode arr = JSON.readTree(r.out());
        assertThat(arr.size()).isEqualTo(5);
        assertThat(arr.get(0).get("id").asText()).isEqualTo("ping-vpn-lan");
        assertThat(arr.get(0).get("verdict").asText()).isEqualTo("ROUND_TRIP_OK");
        JsonNode ssh = arr.get(3);
        assertThat(ssh.get("id").asText()).isEqualTo("ssh-pc");
        assertThat(ssh.get("verdict").asText()).isEqualTo("REPLY_LOST");
        assertThat(ssh.at("/request/delivered").asBoolean()).isTrue();
        assertThat(ssh.at("/request/deliveredTo").asText()).isEqualTo("pc");
        assertThat(ssh.at("/reply/delivered").asBoolean()).isFalse();
        assertThat(ssh.at("/reply/lostAt/host").asText()).isEqualTo("isp");
        assertThat(ssh.at("/data/delivered").asBoolean()).isFalse();
        assertThat(ssh.get("hops").size()).isGreaterThan(5);
        assertThat(arr.get(0).has("data")).as("only tcp results carry data").isFalse();
    }

    @Test
    void unmetExpectationExitsOne() throws IOException {
        Files.writeString(probes, Files.readString(probes).replaceFirst("\"expect\" : \"REPLY_LOST\"", "\"expect\" : \"ROUND_TRIP_OK\""));
        Run r = check("text");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("[EXPECTED ROUND_TRIP_OK]");
    }

    @Test
    void aMistypedCommandOrOptionSuggestsTheRightOneExitTwo() {
        Run r = run("chekc", "--snapshot", snap.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("roundtrip: Unmatched arguments from index 0: 'chekc'")
                .endsWith(": did you mean check?");
        assertThat(run("wyh").err()).contains("did you mean why?");
        assertThat(run("lab", "verfy").err()).contains("did you mean verify?");
        Run option = run("check", "--snapshto", snap.toString());
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).contains("did you mean --snapshot?");
        // nothing near: the commands there are
        assertThat(run("frobnicate").err().strip()).endsWith("(commands: demo, check, trace, why, matrix, diff, collect-script, lab, bench)");
        assertThat(Main.editDistance("chekc", "check")).isEqualTo(1);
        assertThat(Main.editDistance("foo", "lab")).isEqualTo(3);
    }

    /**
     * A packet a host generated (a REJECT's reset or ICMP error) is its own phase, named in JSON and text by the rule
     * that made it; the simulator leaves the words to the report.
     */
    @Test
    void aGeneratedPacketsPhaseIsNamedByWhatGeneratedIt() {
        String dir = "src/test/resources/why/f-reject-and-closed-ports/";
        Run json = run("check", "--snapshot", dir + "snapshot", "--probes", dir + "probes.json", "--format", "json");
        assertThat(json.out()).contains("\"phase\" : \"REJECT --reject-with tcp-reset\"")
                .contains("\"phase\" : \"REJECT --reject-with icmp-port-unreachable\"").doesNotContain("\"phase\" : null");
        Run text = run("trace", "--snapshot", dir + "snapshot", "--from", "client", "--to", "10.2.0.10:23", "--proto", "tcp");
        assertThat(text.out()).contains("\nREJECT --reject-with tcp-reset: ");
    }

    @Test
    void missingSnapshotIsOneLineExitTwo() {
        Run r = run("check", "--snapshot", tmp.resolve("nope").toString(), "--probes", probes.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("nope").doesNotContain("Exception");
    }

    @Test
    void malformedRouteFileNamesFileAndLine() throws IOException {
        Path f = snap.resolve("gw/ip-route.json");
        String text = Files.readString(f);
        Files.writeString(f, text.substring(0, text.length() / 2));
        Run r = check("json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").containsPattern("gw/ip-route.json:\\d+").doesNotContain("at com.");
    }

    @Test
    void unknownHostInProbeNamesProbeFileAndLine() throws IOException {
        Files.writeString(probes, "[\n {\"id\": \"x\", \"from\": \"nobody\", \"to\": \"10.198.0.20\"}\n]\n");
        Run r = check("json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("probes.json:2").contains("nobody");
    }

    @Test
    void sourceAddressTheHostDoesNotHaveIsRejected() throws IOException {
        Files.writeString(probes, "[{\"id\": \"x\", \"from\": \"client\", \"src\": \"10.9.9.9\", \"to\": \"10.198.0.20\"}]");
        Run r = check("json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("10.9.9.9");
    }

    @Test
    void unknownFormatIsBadInput() {
        assertThat(check("xml").exit()).isEqualTo(2);
    }

    @Test
    void unknownIptablesSyntaxMakesOnlyTheProbesThatReachItUncertain() throws IOException {
        // an unknown match on the LAN gateway's FORWARD chain: probes through gw are uncertain, others are not
        Files.writeString(snap.resolve("gw/iptables-save.txt"), """
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                -A FORWARD -m quota2 --name x -j DROP
                COMMIT
                """);
        Run r = check("json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode arr = JSON.readTree(r.out());
        assertThat(arr.get(0).get("certain").asBoolean()).as("ping to the VPN server never crosses gw").isTrue();
        JsonNode ssh = arr.get(3);
        assertThat(ssh.get("certain").asBoolean()).isFalse();
        assertThat(ssh.get("uncertain").get(0).asText()).contains("gw/iptables-save.txt:5").contains("quota2");
        assertThat(r.err()).as("reported when loading too").contains("warning").contains("gw/iptables-save.txt:5");
    }

    @Test
    void traceEndsWithTheVerdictLine() {
        Run r = run("trace", "--snapshot", snap.toString(), "--from", "client", "--to", "10.198.0.20:22", "--proto", "tcp");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("client  eth0 Out IP 10.200.0.2.40000 > 10.198.0.20.22: Flags [S]")
                .contains("gw      route  forward: default via 192.0.2.1 dev wan0");
        assertThat(r.out().strip()).contains("verdict: REPLY_LOST").contains("net.ipv4.ip_forward = 0]\nroot cause: missing-return-route on gw: ");
    }

    @Test
    void hostDirectoriesGivenOneByOneWithATopologyFileGiveTheSameResult() throws IOException {
        String whole = check("json").out();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("check", "--format", "json", "--probes", probes.toString(),
                "--topology", snap.resolve("topology.json").toString()));
        for (String h : new String[] {"client", "vpn", "gw", "isp", "pc"}) args.addAll(java.util.List.of("--snapshot", snap.resolve(h).toString()));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = JSON.readTree(r.out()), b = JSON.readTree(whole);
        for (int i = 0; i < b.size(); i++) assertThat(a.get(i).get("verdict")).isEqualTo(b.get(i).get("verdict"));
    }

    @Test
    void withoutTopologyTheErrorSaysWhatToGive() {
        Run r = run("check", "--probes", probes.toString(), "--snapshot", snap.resolve("client").toString(), "--snapshot", snap.resolve("gw").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("--topology");
    }

    @Test
    void collectScriptIsAPosixShellScript() {
        Run r = run("collect-script");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#!/bin/sh").contains("ip -j -d route show table all").contains("(redacted)");
    }

    /** --lang zh: the same script but for its three message lines, in Chinese, and still valid sh. */
    @Test
    void collectScriptInChinese() throws Exception {
        String en = run("collect-script").out(), zh = run("collect-script", "--lang", "zh").out();
        java.util.List<String> a = en.lines().toList(), b = zh.lines().toList();
        assertThat(b).hasSameSizeAs(a);
        int differ = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals(b.get(i))) continue;
            differ++;
            assertThat(a.get(i)).startsWith("msg_");
            assertThat(b.get(i)).startsWith(a.get(i).substring(0, a.get(i).indexOf('=') + 1)).contains("roundtrip：");
        }
        assertThat(differ).isEqualTo(CollectScriptCommand.ZH.size());
        java.nio.file.Path f = java.nio.file.Files.createTempFile("collect-zh", ".sh");
        try {
            java.nio.file.Files.writeString(f, zh);
            Process p = new ProcessBuilder("sh", "-n", f.toString()).redirectErrorStream(true).start();
            assertThat(p.waitFor()).isZero();
        } finally {
            java.nio.file.Files.delete(f);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CollectScriptCommand.chinese("msg_new='said'\n")).hasMessageContaining("msg_new");
    }

    @Test
    void traceRejectsBadAddress() {
        Run r = run("trace", "--snapshot", snap.toString(), "--from", "client", "--to", "10.198.0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not an IPv4 address");
    }
}
