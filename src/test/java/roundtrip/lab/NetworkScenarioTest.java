package roundtrip.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link NetworkScenario} asks the lab to run for a described host (the real-kernel check is NetworkScenarioLabTest). */
class NetworkScenarioTest {
    @Test
    void aHostBecomesTheCommandsThatRebuildIt(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("net.yaml");
        Files.writeString(file, """
                hosts:
                  r:
                    interfaces:
                      eth0: 10.0.0.1/24
                      wan: 192.0.2.2/24
                      br0: {address: 10.9.0.1/24, kind: bridge}
                    routes:
                      - default via 192.0.2.1
                      - 10.5.0.0/16 via 10.0.0.9 table 100
                    rules:
                      - from 10.0.0.0/24 lookup 100 pref 1000
                    sysctl: {net.ipv4.conf.eth0.forwarding: 0, net.ipv4.ip_forward: 1, net.ipv4.conf.all.rp_filter: 2}
                    masquerade: [{out: wan}]
                  h:
                    interfaces: {eth0: 10.0.0.9/24}
                segments:
                  lan: [r:eth0, h:eth0]
                probes:
                  - {id: web, from: h, to: 10.0.0.1, proto: tcp, dport: 8080}
                """);
        NetworkFileReader.Result read = NetworkFileReader.read(file);
        Network net = read.network();
        var probes = read.probes().stream().map(p -> p.probe()).toList();
        NetworkScenario.Result built = NetworkScenario.of(net, probes, Map.of("web", "r"), Map.of(), "test");
        Scenario.HostSpec r = built.scenario().hosts.get("r");
        List<String> setup = r.setup.lines().toList();

        // wan is on no segment: a dummy stands in, and the user is told
        assertThat(setup).contains("ip link add name wan type dummy", "ip link add name br0 type bridge", "ip addr add 192.0.2.2/24 dev wan");
        assertThat(built.notes()).anyMatch(n -> n.english().contains("r: wan is on no segment"));
        // the kernel's own routes are not added again; the others are, device routes before gateway routes
        assertThat(setup).noneMatch(l -> l.contains("10.0.0.0/24 dev eth0")).noneMatch(l -> l.startsWith("ip route replace local"));
        assertThat(setup).contains("ip route replace default via 192.0.2.1 dev wan", "ip route replace 10.5.0.0/16 via 10.0.0.9 dev eth0 table 100");
        assertThat(setup).contains("ip rule add pref 1000 from 10.0.0.0/24 lookup 100");
        // ip_forward rewrites every interface's forwarding: it goes first, the per-interface value after it
        assertThat(setup.indexOf("sysctl -q -w net.ipv4.ip_forward=1")).isLessThan(setup.indexOf("sysctl -q -w net.ipv4.conf.eth0.forwarding=0"));
        assertThat(r.iptables).contains("MASQUERADE");
        // no ss-listen for r: the probed port is opened, as the simulation assumes it is
        assertThat(r.listen).containsExactly("tcp/8080");
        assertThat(built.scenario().segments).containsEntry("lan", List.of("r:eth0", "h:eth0"));
        assertThat(built.scenario().probes.get(0).target).isEqualTo("r");
    }

    @Test
    void anIpv6RouterKeepsItsForwardingProxyNdpAndProxyEntries(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("net.yaml");
        Files.writeString(file, """
                hosts:
                  r:
                    interfaces:
                      eth0: 2001:db8:1::1/64
                      lan0: 2001:db8:2::1/64
                    sysctl: {net.ipv6.conf.eth0.proxy_ndp: 1, net.ipv6.conf.lan0.forwarding: 0, net.ipv6.conf.all.forwarding: 1, net.ipv6.conf.gone0.forwarding: 1}
                  h:
                    interfaces: {eth0: 2001:db8:1::20/64}
                segments:
                  wan: [r:eth0, h:eth0]
                """);
        Network read = NetworkFileReader.read(file).network();
        var withProxy = read.hosts().values().stream()
                .map(h -> h.name().equals("r") ? h.withNdpProxies(List.of(new roundtrip.model.NdpProxy(
                        roundtrip.model.Ip.parse("2001:db8:1::30"), "eth0", roundtrip.model.Source.NONE))) : h)
                .toList();
        Network net = new Network(withProxy, read.segments());
        List<String> setup = NetworkScenario.of(net, List.of(), Map.of(), Map.of(), "test").scenario().hosts.get("r").setup.lines().toList();

        assertThat(setup).contains("ip -6 addr add 2001:db8:2::1/64 dev lan0 nodad", "ip -6 neigh add proxy 2001:db8:1::30 dev eth0");
        // all.forwarding rewrites every interface's forwarding (addrconf_forward_change): it goes before lan0's own value
        assertThat(setup.indexOf("sysctl -q -w net.ipv6.conf.all.forwarding=1"))
                .isNotNegative().isLessThan(setup.indexOf("sysctl -q -w net.ipv6.conf.lan0.forwarding=0"));
        assertThat(setup).contains("sysctl -q -w net.ipv6.conf.eth0.proxy_ndp=1").noneMatch(l -> l.contains("gone0"));
    }

    @Test
    void routesThroughAnOpenVpnDeviceWaitForTheDaemon() {
        NetworkFileReader.Result read = NetworkFileReader.read(Path.of("examples/s1-network-file/network.yaml"));
        var probes = read.probes().stream().map(p -> p.probe()).toList();
        NetworkScenario.Result built = NetworkScenario.of(read.network(), probes, Map.of(), Map.of(), "s1");
        Scenario.HostSpec pc = built.scenario().hosts.get("office-pc");
        // the client must reach its server before the tunnel exists; the pushed route needs tun0
        assertThat(pc.setup.lines()).contains("ip route replace default via 203.0.113.1 dev eth0").noneMatch(l -> l.contains("tun0"));
        assertThat(pc.postSetup.lines()).containsExactly("ip route replace 192.168.78.0/24 via 10.1.1.1 dev tun0");
        assertThat(pc.openvpn.instances).hasSize(1);
        // the server pins the client's tunnel address as the network file gives it
        assertThat(built.scenario().hosts.get("router").openvpn.ccd.values()).anyMatch(c -> c.contains("ifconfig-push 10.1.1.6 255.255.255.0"));
    }

    @Test
    void aBridgeThatIsItselfASegmentMemberIsRefused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("net.yaml");
        Files.writeString(file, """
                hosts:
                  a: {interfaces: {br0: {address: 10.0.0.1/24, kind: bridge}}}
                  b: {interfaces: {eth0: 10.0.0.2/24}}
                segments:
                  lan: [a:br0, b:eth0]
                """);
        Network net = NetworkFileReader.read(file).network();
        assertThatThrownBy(() -> NetworkScenario.of(net, List.of(), Map.of(), Map.of(), "t"))
                .isInstanceOf(NetworkScenario.Unbuildable.class).hasMessageContaining("bridge br0 is itself a segment member");
    }

    @Test
    void aRemoteNamedInNamesIsGivenToTheDaemonAsItsAddress() {
        String yaml = """
                names: {vpn.example.org: 198.51.100.1}
                hosts:
                  laptop:
                    interfaces: {eth0: 198.51.100.2/24}
                    openvpn:
                      client: |
                        client
                        dev tun
                        remote vpn.example.org 1194 udp
                        remote backup.example.org 1194
                  srv:
                    interfaces: {eth0: 198.51.100.1/24}
                    openvpn:
                      server: |
                        dev tun
                        port 1194
                        topology subnet
                        server 10.9.0.0 255.255.255.0
                segments:
                  s: [laptop:eth0, srv:eth0]
                """;
        Network net = NetworkFileReader.parse("net.yaml", yaml, Path.of(".")).network();
        NetworkScenario.Result built = NetworkScenario.of(net, List.of(), Map.of(), Map.of(), "names");
        // the lab has no DNS: the daemon gets the address the simulation used; a name nobody mapped stays as written
        assertThat(built.scenario().hosts.get("laptop").openvpn.instances.values())
                .singleElement().asString().contains("remote 198.51.100.1 1194 udp\n", "remote backup.example.org 1194\n");
        assertThat(built.notes().stream().map(roundtrip.model.Message::english).toList()).contains("laptop: OpenVPN tun0: remote vpn.example.org is 198.51.100.1 (names:), the lab has no DNS");
    }
}
