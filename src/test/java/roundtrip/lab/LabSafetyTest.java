package roundtrip.lab;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's safety rules: prefixed namespaces only, nothing added to the root namespace, all removed. */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class LabSafetyTest {
    @Test
    void createsOnlyPrefixedNamespacesTouchesNothingInRootAndRemovesEverything(@TempDir Path tmp) throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Path file = tmp.resolve("tiny.yaml");
        Files.writeString(file, """
                # two hosts on a veth pair, three on a hidden switch
                description: tiny
                hosts:
                  a: {setup: "ip addr add 10.0.0.1/24 dev eth0\\nip addr add 10.0.1.1/24 dev eth1"}
                  b: {setup: "ip addr add 10.0.0.2/24 dev eth0", listen: [tcp/22]}
                  c: {setup: "ip addr add 10.0.1.3/24 dev eth0"}
                  d: {setup: "ip addr add 10.0.1.4/24 dev eth0"}
                segments:
                  pair: [a:eth0, b:eth0]
                  switched: [a:eth1, c:eth0, d:eth0]
                probes:
                  - {id: ssh, from: a, to: 10.0.0.2, proto: tcp, dport: 22, expect: ROUND_TRIP_OK}
                  - {id: ping, from: c, to: 10.0.1.4, proto: icmp, expect: ROUND_TRIP_OK}
                """);
        Set<String> rootLinksBefore = rootLinks();
        List<String> before = namespaces();
        String prefix;
        try (Lab lab = Lab.build(Scenario.load(file), tmp.resolve("logs"))) {
            prefix = lab.prefix();
            // other labs and tests may run at the same time on a shared machine (each with its own rt... prefix)
            List<String> ours = namespaces().stream().filter(n -> !before.contains(n))
                    .filter(n -> n.startsWith(prefix + "-") || !n.startsWith("rt")).toList();
            assertThat(ours).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith(prefix + "-"));
            assertThat(ours).containsExactlyInAnyOrder(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-d", prefix + "-sw0");
            assertThat(lab.runProbes()).extracting(ProbeResult::verdict).containsExactly("ROUND_TRIP_OK", "ROUND_TRIP_OK");
            lab.writeSnapshot(tmp.resolve("snap"));
            assertThat(tmp.resolve("snap/topology.json")).exists();
            assertThat(tmp.resolve("snap/sw0")).doesNotExist();
            assertThat(Files.readString(tmp.resolve("snap/b/ss-listen.txt"))).contains(":22");
            assertThat(rootLinks()).as("links of the root namespace").isEqualTo(rootLinksBefore);
        }
        assertThat(namespaces()).noneMatch(n -> n.startsWith(prefix));
    }

    /** A lab given up on (its thread interrupted, as LabPool's time limit does) still deletes every namespace it made. */
    @Test
    void anInterruptedLabStillDeletesItsNamespaces(@TempDir Path tmp) throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Path file = tmp.resolve("pair.yaml");
        Files.writeString(file, """
                description: two hosts
                hosts:
                  a: {setup: "ip addr add 10.0.0.1/24 dev eth0"}
                  b: {setup: "ip addr add 10.0.0.2/24 dev eth0"}
                segments:
                  pair: [a:eth0, b:eth0]
                """);
        String prefix;
        Lab lab = Lab.build(Scenario.load(file), tmp.resolve("logs"));
        prefix = lab.prefix();
        Thread.currentThread().interrupt();
        try {
            lab.close();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is given back").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(namespaces()).noneMatch(n -> n.startsWith(prefix));
    }

    /** A fix's OpenVPN file edit runs only when the file it writes lies in the lab's copy of the daemon's directory. */
    @Test
    void openVpnFileEditsStayInTheInstanceDirectory(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("openvpn-vpnsrv"));
        assertThat(LabTunnels.writeRefusal(dir, "ccd/vpncli")).isNull();
        assertThat(LabTunnels.writeRefusal(dir, "server.conf")).isNull();
        assertThat(LabTunnels.writeRefusal(dir, null)).isNull();
        assertThat(LabTunnels.writeRefusal(dir, "/etc/openvpn/ccd/vpncli")).contains("not run");
        assertThat(LabTunnels.writeRefusal(dir, "../../etc/passwd")).contains("not run");
        assertThat(LabTunnels.writeRefusal(dir, ".")).contains("not run");
        Files.createSymbolicLink(dir.resolve("ccd"), tmp);
        assertThat(LabTunnels.writeRefusal(dir, "ccd/vpncli")).contains("symbolic link");
    }

    private static List<String> namespaces() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "list").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }

    private static Set<String> rootLinks() throws Exception {
        Process p = new ProcessBuilder("ip", "-o", "link", "show").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Set<String> names = new HashSet<>();
        out.lines().forEach(l -> names.add(l.split(":\\s+")[1]));
        return names;
    }
}
