package roundtrip.lab;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.cli.Main;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Host;
import roundtrip.model.Network;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector script, run inside a lab's host namespaces (with dash, bash and busybox ash), must produce
 * snapshots the simulator loads with the same verdicts as the harness's own collection, and change nothing.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class CollectorTest {
    private static final Path SCENARIO = Path.of("src/test/resources/scenarios/s16-vps-dnat-connmark.yaml");
    private static final List<String> SHELLS = List.of("dash", "bash", "busybox ash");

    @TempDir Path tmp;

    private static List<roundtrip.model.Route> withoutAutomatic(List<roundtrip.model.Route> routes) {
        return routes.stream().filter(r -> !roundtrip.importer.KernelRoutes.isAutomatic(r)).toList();
    }

    @Test
    void collectorSnapshotsGiveTheSameVerdictsAndChangeNothing() throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Scenario scenario = Scenario.load(SCENARIO);
        // every other host runs the Chinese script: the same collection, its messages in Chinese
        Path script = tmp.resolve("collect.sh"), scriptZh = tmp.resolve("collect-zh.sh");
        Files.writeString(script, run("collect-script").out);
        Files.writeString(scriptZh, run("collect-script", "--lang", "zh").out);
        List<String> args = new ArrayList<>(List.of("check", "--format", "json", "--probes", tmp.resolve("probes.json").toString()));
        try (Lab lab = Lab.build(scenario, tmp.resolve("logs"))) {
            lab.writeSnapshot(tmp.resolve("before"));
            lab.writeProbes(tmp.resolve("probes.json"));
            int i = 0;
            for (String host : scenario.hosts.keySet()) {
                boolean zh = i % 2 == 1;
                String shell = SHELLS.get(i++ % SHELLS.size());
                Path out = tmp.resolve(host + ".tar.gz");
                List<String> cmd = new ArrayList<>(List.of("timeout", "30", "ip", "netns", "exec", lab.namespaceOf(host)));
                cmd.addAll(List.of(shell.split(" ")));
                cmd.addAll(List.of((zh ? scriptZh : script).toString(), host, out.toString()));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(shell + " on " + host + ": " + log).isZero();
                assertThat(log).as(shell).contains(zh ? "roundtrip：已写入 " + out + "（主机 " + host + "）\n" : "roundtrip: wrote " + out + " (host " + host + ")\n");
                args.addAll(List.of("--snapshot", out.toString()));
            }
            lab.writeSnapshot(tmp.resolve("after"));
        }
        // the collector changed nothing: the same addresses, routes, rules, sysctls and firewall before and after
        Network before = SnapshotLoader.load(tmp.resolve("before"), ""), after = SnapshotLoader.load(tmp.resolve("after"), "");
        for (String host : scenario.hosts.keySet()) {
            Host b = before.host(host), a = after.host(host);
            assertThat(a.interfaces()).as(host).isEqualTo(b.interfaces());
            // the kernel's own IPv6 routes come and go as its addresses finish duplicate address detection
            assertThat(withoutAutomatic(a.routes())).as(host).isEqualTo(withoutAutomatic(b.routes()));
            assertThat(a.rules()).as(host).isEqualTo(b.rules());
            assertThat(a.sysctls().all()).as(host).isEqualTo(b.sysctls().all());
            assertThat(stable(tmp.resolve("after/" + host + "/iptables-save.txt")))
                    .isEqualTo(stable(tmp.resolve("before/" + host + "/iptables-save.txt")));
        }

        args.addAll(List.of("--topology", tmp.resolve("before/topology.json").toString()));
        Result fromCollector = run(args.toArray(String[]::new));
        Result fromHarness = run("check", "--format", "json", "--probes", tmp.resolve("probes.json").toString(),
                "--snapshot", tmp.resolve("before").toString());
        assertThat(fromCollector.exit).as(fromCollector.err).isEqualTo(fromHarness.exit);
        JsonNode a = new ObjectMapper().readTree(fromCollector.out), b = new ObjectMapper().readTree(fromHarness.out);
        assertThat(a.size()).isEqualTo(b.size()).isPositive();
        for (int k = 0; k < a.size(); k++) {
            assertThat(a.get(k).get("verdict")).isEqualTo(b.get(k).get("verdict"));
            assertThat(a.get(k).at("/request/delivered")).isEqualTo(b.get(k).at("/request/delivered"));
            assertThat(a.get(k).get("hops").size()).as(a.get(k).get("id").asText()).isEqualTo(b.get(k).get("hops").size());
        }
    }

    /** iptables-save output without its "# Generated ... on DATE" comments. */
    private static String stable(Path f) throws java.io.IOException {
        return Files.readString(f).lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(o, e, args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
