package roundtrip.importer.openwrt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What issue 11 found the translation of /etc/config/firewall getting wrong, one case each, on the fw4 fixtures
 * (src/test/resources/fw4; Fw4OracleTest checks every probe against fw4's own ruleset, these read as the rules).
 */
class Fw4SemanticsTest {
    static final Fw4Fixture GUEST = new Fw4Fixture(Path.of("src/test/resources/fw4/guest"));
    static final Fw4Fixture FORWARDS = new Fw4Fixture(Path.of("src/test/resources/fw4/forwards"));
    static final Fw4Fixture MANGLE = new Fw4Fixture(Path.of("src/test/resources/fw4/mangle"));

    static ProbeResult run(Fw4Fixture f, String from, String src, String dst, int proto, int port) {
        Probe p = new Probe("p", from, src == null ? null : Ip.parse(src), Ip.parse(dst), proto, port, null, null);
        return new Simulator(f.network(false)).run(p, true);
    }

    static String rules(Fw4Fixture f, String chain) {
        StringBuilder sb = new StringBuilder();
        for (NftRuleset.RuleInfo r : ((NftRuleset) f.routerOurs.firewall()).rules())
            if (r.chain().equals(chain)) sb.append(r.source()).append('\n');
        return sb.toString();
    }

    @Test void aListOfSourceAddressesRejectsOnlyThem() {
        // list src_ip '192.168.1.50', list src_ip '192.168.1.51', target REJECT (lan -> wan)
        assertThat(run(GUEST, "h-br-lan-50", "192.168.1.50", "198.51.100.1", Packet.TCP, 443).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(run(GUEST, "h-br-lan-51", "192.168.1.51", "198.51.100.1", Packet.TCP, 443).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(run(GUEST, "h-br-lan", "192.168.1.100", "198.51.100.1", Packet.TCP, 443).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(rules(GUEST, "forward_lan")).contains(
                "guest/firewall:70: ip saddr { 192.168.1.50, 192.168.1.51 } counter jump reject_to_wan comment \"!fw4: Kids-No-Internet\"");
    }

    @Test void aRuleWithoutTargetOnlyCounts() {
        assertThat(rules(GUEST, "forward_guest")).contains(
                "guest/firewall:89: tcp dport { 80, 443, 8000-8100 } counter comment \"!fw4: Count-Guest-Web\"");
        assertThat(run(GUEST, "h-br-guest", null, "198.51.100.1", Packet.TCP, 443).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test void familiesAsFw4ReadsThem() {
        // family 'inet' is IPv4 for fw4 (only "any"/"all"/"*" is both): the rule applies to IPv4
        assertThat(run(GUEST, "h-eth1", null, "198.51.100.20", Packet.TCP, 2200).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        // family 'inet6' is IPv6: the IPv4 printer port stays closed to guests
        assertThat(run(GUEST, "h-br-guest", null, "192.168.1.100", Packet.TCP, 631).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        // an IPv6 address without a family: an IPv6-only rule, read without complaint, never for IPv4
        assertThat(run(GUEST, "h-br-guest", null, "192.168.1.100", Packet.TCP, 445).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(rules(GUEST, "forward_guest")).contains("ip6 daddr fd51:22b0:9c1e::10 tcp dport 445 counter jump accept_to_lan");
    }

    @Test void icmpv6InAProtocolListDoesNotMakeItAll() {
        // list proto '6', list proto 'icmpv6', dest_ip 192.168.1.40, dest_port 3389: tcp/3389 to .40 only
        assertThat(run(GUEST, "h-eth1", null, "192.168.1.40", Packet.TCP, 3389).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(run(GUEST, "h-eth1", null, "192.168.1.40", Packet.UDP, 3389).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(run(GUEST, "h-eth1", null, "192.168.1.40", Packet.ICMP, 0).verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
    }

    @Test void whatIsNotSimulatedMakesTheProbeUncertainAtItsLine() {
        // option start_time/stop_time/weekdays: the time of day decides; the probe says so, quoting the option
        ProbeResult kid = run(MANGLE, "h-br-lan-50", "192.168.8.50", "203.0.113.1", Packet.TCP, 443);
        assertThat(kid.certain()).isFalse();
        assertThat(kid.uncertain()).anySatisfy(p -> {
            assertThat(p.source().where()).isEqualTo("src/test/resources/fw4/mangle/firewall:98");
            assertThat(p.message().english()).startsWith("option start_time: fw4 matches the date and time");
        });
        // a probe that reaches no such rule is certain
        assertThat(run(MANGLE, "h-br-lan", "192.168.8.100", "192.168.8.1", Packet.TCP, 22).certain()).isTrue();
    }

    @Test void natReflectionReachesTheForwardFromInside() {
        // NAS-Web: wan:8080 -> 192.168.10.10:80, reflected for the lan (masquerading wan zone)
        ProbeResult inside = run(FORWARDS, "h-br-lan", "192.168.10.100", "203.0.113.10", Packet.TCP, 8080);
        assertThat(inside.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(inside.request().deliveredTo()).isEqualTo("h-br-lan-10");
        assertThat(rules(FORWARDS, "srcnat_lan")).contains(
                "ip saddr 192.168.10.0/24 ip daddr 192.168.10.10 tcp dport 80 snat ip to 192.168.10.1 comment \"!fw4: NAS-Web (reflection)\"",
                // reflection_src external: the reflected request comes from the outside address
                "ip saddr 192.168.10.0/24 ip daddr 192.168.10.10 tcp dport 53 snat ip to 203.0.113.10 comment \"!fw4: NAS-DNS (reflection)\"");
        // Server-SSH has reflection '0': from inside, the outside address is the router itself
        assertThat(run(FORWARDS, "h-br-lan", "192.168.10.100", "203.0.113.10", Packet.TCP, 2222).request().deliveredTo()).isEqualTo("router");
        // reflection_zone lan and guest: the camera is reflected for guests too
        assertThat(run(FORWARDS, "h-eth2", null, "203.0.113.10", Packet.TCP, 8554).request().deliveredTo()).isEqualTo("h-br-lan-40");
    }
}
