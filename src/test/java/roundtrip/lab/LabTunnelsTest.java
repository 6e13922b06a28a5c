package roundtrip.lab;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The VPN daemons of a lab: snapshot layout, no key material in it, nothing left behind. */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class LabTunnelsTest {
    @Test
    void openVpnConfigsLoseTheirKeyMaterial() {
        String config = """
                client
                remote 192.0.2.1 1194
                ca ca.crt
                cert me.crt
                key me.key
                tls-crypt ta.key
                <tls-auth>
                -----BEGIN OpenVPN Static key V1-----
                abc
                -----END OpenVPN Static key V1-----
                </tls-auth>
                --dh none
                verb 4
                """;
        assertThat(roundtrip.importer.OpenVpnSecrets.strip(config)).isEqualTo("client\nremote 192.0.2.1 1194\nverb 4\n");
    }

    @Test
    void wireGuardAndOpenVpnRunInTheLabAndLeaveNothingBehind(@TempDir Path tmp) throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Assumptions.assumeTrue(installed("wireguard-go") && installed("wg") && installed("openvpn") && installed("openssl"),
                "skipped: the VPN daemons are not installed");
        Path file = tmp.resolve("tunnels.yaml");
        Files.writeString(file, """
                # a WireGuard pair and an OpenVPN pair over one link
                description: tunnels
                hosts:
                  a:
                    setup: "ip addr add 10.0.0.1/24 dev eth0"
                    wireguard:
                      wg0:
                        address: 10.9.0.1/24
                        listen-port: 51820
                        peers: [{peer: "b:wg0", allowed-ips: [10.9.0.2/32], endpoint: "10.0.0.2:51820"}]
                    openvpn:
                      server: "dev tun0\\nproto udp\\nport 1194\\ntopology subnet\\nserver 10.8.0.0 255.255.255.0\\nclient-config-dir ccd"
                      ccd: {b: "ifconfig-push 10.8.0.5 255.255.255.0"}
                  b:
                    setup: "ip addr add 10.0.0.2/24 dev eth0"
                    listen: [tcp/22]
                    wireguard:
                      wg0:
                        address: 10.9.0.2/24
                        listen-port: 51820
                        peers: [{peer: "a:wg0", allowed-ips: [10.9.0.1/32], endpoint: "10.0.0.1:51820"}]
                    openvpn:
                      client: "client\\ndev tun0\\nproto udp\\nremote 10.0.0.1 1194\\nnobind\\nremote-cert-tls server"
                segments:
                  link: [a:eth0, b:eth0]
                probes:
                  - {id: over-wg, from: a, to: 10.9.0.2, proto: tcp, dport: 22, expect: ROUND_TRIP_OK}
                  - {id: over-openvpn, from: a, to: 10.8.0.5, proto: tcp, dport: 22, expect: ROUND_TRIP_OK}
                """);
        boolean runWireguardBefore = Files.exists(Path.of("/run/wireguard"));
        String prefix;
        Path snap = tmp.resolve("snap");
        List<String> before = pids("wireguard-go|openvpn");
        List<String> ours;
        try (Lab lab = Lab.build(Scenario.load(file), tmp.resolve("logs"))) {
            prefix = lab.prefix();
            assertThat(lab.runProbes()).extracting(ProbeResult::verdict).containsExactly("ROUND_TRIP_OK", "ROUND_TRIP_OK");
            lab.writeSnapshot(snap);
            // only this lab's daemons: other labs (conformance scenarios with WireGuard) run beside this test
            List<String> inOurNamespaces = new java.util.ArrayList<>();
            for (String ns : namespaces()) if (ns.startsWith(prefix)) inOurNamespaces.addAll(namespacePids(ns));
            ours = pids("wireguard-go|openvpn").stream().filter(pid -> !before.contains(pid) && inOurNamespaces.contains(pid)).toList();
            assertThat(ours).as("two wireguard-go and two openvpn").hasSizeGreaterThanOrEqualTo(4);
        }
        String wg = Files.readString(snap.resolve("a/wg/wg0.conf"));
        assertThat(wg).contains("[Interface]", "PrivateKey = ", "ListenPort = 51820", "[Peer]", "AllowedIPs = 10.9.0.2/32");
        assertThat(snap.resolve("a/openvpn/server.conf")).content().contains("server 10.8.0.0 255.255.255.0").doesNotContain("key ");
        assertThat(snap.resolve("a/openvpn/ccd/b")).content().contains("ifconfig-push 10.8.0.5");
        assertThat(snap.resolve("a/openvpn/status.log")).content().contains("ROUTING TABLE", "10.8.0.5,b,");
        assertThat(snap.resolve("b/openvpn/client.conf")).content().contains("remote 10.0.0.1 1194");
        // the real OpenVPN 2.6 client's status file (statistics, no client list) is read, not refused
        assertThat(snap.resolve("b/openvpn/status.log")).content().startsWith("OpenVPN STATISTICS\nUpdated,").endsWith("END\n");
        assertThat(roundtrip.importer.OpenVpnReader.readStatus("b/openvpn/status.log", Files.readString(snap.resolve("b/openvpn/status.log"))))
                .isNull();
        // nothing left: namespaces, daemons of this lab, sockets in the root mount namespace, the run directory
        assertThat(namespaces()).noneMatch(n -> n.startsWith(prefix));
        assertThat(Files.exists(Path.of("/run/wireguard"))).isEqualTo(runWireguardBefore);
        try (var list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(prefix));
        }
        assertThat(ours).allSatisfy(pid -> assertThat(goneOrZombie(pid)).as("process " + pid + " ended").isTrue());
    }

    /** A killed daemon may stay a zombie for a moment until init reaps it. */
    private static boolean goneOrZombie(String pid) throws Exception {
        Path stat = Path.of("/proc", pid, "stat");
        for (int i = 0; i < 50; i++) {
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) return true;
            } catch (java.io.IOException gone) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean installed(String tool) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }

    private static List<String> pids(String pattern) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-x", pattern).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** The processes running in a network namespace (`ip netns pids`). */
    private static List<String> namespacePids(String ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "pids", ns).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> namespaces() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "list").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }
}
