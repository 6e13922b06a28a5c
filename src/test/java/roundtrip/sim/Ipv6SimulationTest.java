package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.kernel.Fact;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPv6 through the simulator's kernel, family by family on one dual-stack network: what ip6_forward, ip6_pkt_discard,
 * ndisc and ipv6_dev_get_saddr do. The same mechanisms are checked against the real kernel by the dual-stack
 * conformance scenarios (src/test/resources/scenarios/f-v6-*.yaml).
 */
class Ipv6SimulationTest {
    private static Network net(String routerSysctl, String serverExtra) {
        return NetworkFileReader.parse("net.yaml", """
                hosts:
                  client:
                    interfaces: {eth0: [192.168.1.10/24, "2001:db8:1::10/64", "fd00:1::10/64", "fe80::10/64"]}
                    routes: [default via 192.168.1.1, "default via fe80::1 dev eth0"]
                  router:
                    interfaces: {lan: [192.168.1.1/24, "2001:db8:1::1/64", "fe80::1/64"], wan: [10.0.0.1/24, "2001:db8:2::1/64"]}
                    sysctl: {%s}
                    routes: ["unreachable 2001:db8:dead::/48", "prohibit 2001:db8:beef::/48", "blackhole 2001:db8:cafe::/48"]
                  server:
                    interfaces: {eth0: [10.0.0.20/24, "2001:db8:2::20/64"]}
                    routes: [default via 10.0.0.1, "default via 2001:db8:2::1"]
                    listen: [tcp/22, udp/53]
                %s
                segments:
                  lan: [client:eth0, router:lan]
                  wan: [router:wan, server:eth0]
                """.formatted(routerSysctl, serverExtra), Path.of(".")).network();
    }

    private static final Network FORWARDING = net("net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1", "");

    private static ProbeResult run(Network n, String to, int proto, int port) {
        return new Simulator(n).run(new Probe("p", "client", null, Ip.parse(to), proto, port, null, null));
    }

    @Test
    void bothFamiliesCrossARouterThatForwardsBoth() {
        assertThat(run(FORWARDING, "10.0.0.20", Packet.TCP, 22).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult six = run(FORWARDING, "2001:db8:2::20", Packet.TCP, 22);
        assertThat(six.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        // a link-local gateway: the neighbour that owns fe80::1 on that link
        assertThat(six.phases().get(0).steps()).anyMatch(s -> s.host().equals("router"));
        ProbeResult ping = run(FORWARDING, "2001:db8:2::20", Packet.ICMP, 0);
        assertThat(ping.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(ping.phases().get(0).packet().english()).contains("ICMP6, echo request");
    }

    @Test
    void ipv4ForwardingDoesNotForwardIpv6() {
        Network n = net("net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 0", "");
        assertThat(run(n, "10.0.0.20", Packet.TCP, 22).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult six = run(n, "2001:db8:2::20", Packet.TCP, 22);
        assertThat(six.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(six.request().lostAt().host()).isEqualTo("router");
        assertThat(six.request().lostAt().why()).isEqualTo(new Fact.ForwardingOff("lan", "net.ipv6.conf.all.forwarding"));
    }

    @Test
    void aDevicesOwnForwardingSwitchDoesNotForward() {
        // ip6_forward reads conf.all.forwarding; conf.lan.forwarding = 1 only makes lan behave as a router's interface
        Network n = net("net.ipv6.conf.all.forwarding: 0, net.ipv6.conf.lan.forwarding: 1", "");
        assertThat(run(n, "2001:db8:2::20", Packet.ICMP, 0).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        Network forced = net("net.ipv6.conf.all.forwarding: 0, net.ipv6.conf.lan.force_forwarding: 1, net.ipv6.conf.wan.force_forwarding: 1", "");
        assertThat(run(forced, "2001:db8:2::20", Packet.ICMP, 0).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test
    void errorRoutesAnswerWithIcmpv6Codes() {
        ProbeResult unreachable = run(FORWARDING, "2001:db8:dead::1", Packet.TCP, 22);
        assertThat(unreachable.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(text(unreachable)).contains("ICMP6, destination unreachable, unreachable route");
        assertThat(text(run(FORWARDING, "2001:db8:beef::1", Packet.TCP, 22))).contains("unreachable prohibited");
        ProbeResult blackhole = run(FORWARDING, "2001:db8:cafe::1", Packet.TCP, 22);
        assertThat(blackhole.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(blackhole.request().lostAt().host()).isEqualTo("router");
        assertThat(blackhole.request().lostAt().reason().english()).startsWith("blackhole route");
        assertThat(text(blackhole)).doesNotContain("ICMP6, destination unreachable");
    }

    @Test
    void aClosedUdpPortAnswersWithIcmpv6PortUnreachable() {
        ProbeResult r = run(FORWARDING, "2001:db8:2::20", Packet.UDP, 5353);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(text(r)).contains("ICMP6, destination unreachable, unreachable port");
    }

    @Test
    void aFirewallDroppingIcmpv6CutsNeighbourDiscoveryWhileIpv4Works() {
        Network n = net("net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1", """
                    nft: |
                      table inet filter {
                        chain input {
                          type filter hook input priority 0; policy drop;
                          ct state established,related accept
                          tcp dport 22 accept
                          meta l4proto icmp accept
                        }
                      }
                """);
        assertThat(run(n, "10.0.0.20", Packet.TCP, 22).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult six = run(n, "2001:db8:2::20", Packet.TCP, 22);
        assertThat(six.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(six.request().lostAt().host()).isEqualTo("router");
        assertThat(six.request().lostAt().stage()).isEqualTo("ndp");
        assertThat(six.request().lostAt().why()).isInstanceOfSatisfying(Fact.NdFiltered.class, nd -> {
            assertThat(nd.host()).isEqualTo("server");
            assertThat(nd.advert()).isFalse();
            assertThat(nd.filtered().table()).isEqualTo("inet filter");
        });
    }

    @Test
    void theSourceIsChosenAsIpv6DevGetSaddrDoes() {
        var fib = new roundtrip.kernel.HostKernel(FORWARDING.host("client")).fib();
        var eth0 = FORWARDING.host("client").iface("eth0");
        // a global destination: a global source with the same label (not the ULA, not the link-local)
        assertThat(fib.selectSource6(eth0, Ip.parse("2001:db8:2::20"))).isEqualTo(Ip.parse("2001:db8:1::10"));
        // a ULA destination: the ULA source (label 5 matches)
        assertThat(fib.selectSource6(eth0, Ip.parse("fd00:9::1"))).isEqualTo(Ip.parse("fd00:1::10"));
        // a link-local destination: the link-local source (smallest scope not below the destination's)
        assertThat(fib.selectSource6(eth0, Ip.parse("fe80::1"))).isEqualTo(Ip.parse("fe80::10"));
    }

    @Test
    void aLinkLocalSourceIsNeverForwarded() {
        ProbeResult r = new Simulator(FORWARDING).run(new Probe("p", "client", Ip.parse("fe80::10"), Ip.parse("2001:db8:2::20"),
                Packet.ICMP, 0, null, null));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().reason().english()).contains("link-local");
        assertThat(r.request().lostAt().host()).isEqualTo("router");
    }

    @Test
    void theDualStackExampleNeedsIpv6ForwardingAndTheReturnRouteTogether() {
        var file = NetworkFileReader.read(Path.of("examples/s2-dual-stack/network.yaml"));
        Network n = file.network();
        Probe ssh6 = file.probes().stream().map(p -> p.probe()).filter(p -> p.id().equals("ssh6")).findFirst().orElseThrow();
        var why = new roundtrip.fix.Why(n).explain(ssh6, file.probes().stream().map(p -> p.probe()).toList());
        assertThat(why.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(why.fixes().get(0).fix().id()).isEqualTo("ipv6-forwarding-on+return-route");
        assertThat(why.fixes().get(0).fix().changes()).extracting(c -> c.command())
                .containsExactly("sysctl -w net.ipv6.conf.all.forwarding=1", "ip -6 route add 2001:db8:1::/64 via 2001:db8:ff::1 dev tr");
    }

    @Test
    void aMasqueradeNamingTheOtherUplinkIsFoundForEachFamily() {
        var file = NetworkFileReader.read(Path.of("src/test/resources/why6/masquerade-names-the-other-uplink.yaml"));
        List<Probe> probes = file.probes().stream().map(p -> p.probe()).toList();
        for (Probe p : probes) {
            var why = new roundtrip.fix.Why(file.network()).explain(p, probes);
            assertThat(why.findings().get(0).cause().id()).as(p.id()).isEqualTo("missing-snat");
            assertThat(why.findings().get(0).summary().english()).as(p.id()).contains("says -o eth0", "leaves by eth1");
            assertThat(why.fixes().get(0).fix().changes().get(0).command()).as(p.id())
                    .isEqualTo((p.dst().isV6() ? "ip6tables" : "iptables") + " -t nat -A POSTROUTING -o eth1 -j MASQUERADE");
        }
    }

    private static String text(ProbeResult r) {
        StringBuilder sb = new StringBuilder();
        for (ProbeResult.Phase p : r.phases()) sb.append(p.name()).append(": ").append(p.packet().english()).append('\n');
        return sb.toString();
    }
}
