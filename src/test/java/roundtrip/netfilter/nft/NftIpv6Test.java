package roundtrip.netfilter.nft;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Pkt;
import roundtrip.netfilter.RouteLookup;
import roundtrip.netfilter.Verdict;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.netfilter.Pkt.icmp6;

/**
 * IPv6 packets through nft rulesets in the shapes firewalld (table inet firewalld) and OpenWrt's fw4 (table inet fw4,
 * its ICMPv6 accepts) give them, plus an ip6 table with interval sets and a verdict map. The fixtures were loaded
 * with nft 1.0.x into a scratch namespace and listed back (`nft -j list ruleset` and `nft list ruleset`); every test
 * runs on both, so the JSON reader and the text reader must agree.
 */
class NftIpv6Test {

    static NftRuleset load(String name) {
        NftInput in = name.endsWith(".json") ? NftInput.json("h/" + name, NftFixtures.resource(name))
                : NftInput.text("h/" + name, NftFixtures.resource(name), n -> n);
        NftRuleset rs = in.ruleset(t -> false);
        NftFixtures.assertUnderstood(rs);
        return rs;
    }

    /** 2001:db8:5::/48 and fe80::/64 are routed by eth0 (wan), fd00::/64 by lan0, 10.0.0.0/8 by eth0. */
    static final RouteLookup ROUTES = (dst, src, mark, tos) -> {
        if (dst.isV4()) return (dst.v4() >>> 24) == 10 ? List.of("eth0") : List.of();
        if (Ip.parse("2001:db8:5::").equals(dst.masked(48)) || dst.isLinkLocal()) return List.of("eth0");
        if (Ip.parse("fd00::").equals(dst.masked(64))) return List.of("lan0");
        return List.of();
    };

    /** The hook's base chains that see the packet's family, by priority, as the kernel runs them. */
    static Verdict run(NftRuleset rs, Pkt p) {
        PacketContext ctx = p.ctx();
        ctx.routes = ROUTES;
        Verdict last = Verdict.accept(p.hook.name());
        for (BaseChain c : rs.chains(p.hook)) {
            if (!c.sees(ctx.packet.family())) continue;
            Verdict v = c.evaluate(ctx);
            if (v.kind() != Verdict.Kind.ACCEPT) return v;
            last = v;
        }
        assertThat(ctx.uncertain).as("uncertain for " + p).isEmpty();
        return last;
    }

    static Pkt in(Pkt p) { return p.hook(Hook.INPUT).in("eth0"); }

    static Verdict.Kind kind(NftRuleset rs, Pkt p) { return run(rs, p).kind(); }

    static String rejectWith(NftRuleset rs, Pkt p) {
        Verdict v = run(rs, p);
        assertThat(v.kind()).as("verdict for " + p).isEqualTo(Verdict.Kind.REJECT);
        return v.rejectWith();
    }

    @ParameterizedTest
    @ValueSource(strings = {"firewalld6.json", "firewalld6.list.txt"})
    void firewalldsReversePathFilterChecksIpv6SourcesOnly(String file) {
        NftRuleset rs = load(file);
        Pkt fromWan = Pkt.tcp("2001:db8:5::9", "2001:db8::1", 22).hook(Hook.PREROUTING).in("eth0");
        assertThat(kind(rs, fromWan)).isEqualTo(Verdict.Kind.ACCEPT);
        Pkt spoofed = Pkt.tcp("fd00::9", "2001:db8::1", 22).hook(Hook.PREROUTING).in("eth0");
        assertThat(kind(rs, spoofed)).isEqualTo(Verdict.Kind.DROP);
        Pkt unroutable = Pkt.tcp("2001:db8:6::9", "2001:db8::1", 22).hook(Hook.PREROUTING).in("eth0");
        assertThat(kind(rs, unroutable)).isEqualTo(Verdict.Kind.DROP);
        // a link-local source is looked up on its own device
        assertThat(kind(rs, Pkt.udp("fe80::2", "ff02::1", 9).hook(Hook.PREROUTING).in("lan0"))).isEqualTo(Verdict.Kind.ACCEPT);
        // neighbour solicitations are accepted before the check (duplicate address detection comes from ::)
        Pkt dad = icmp6("::", "ff02::1:ff00:1", Packet.ND_NEIGHBOR_SOLICIT, 0).hook(Hook.PREROUTING).in("eth0");
        assertThat(kind(rs, dad)).isEqualTo(Verdict.Kind.ACCEPT);
        // the check is IPv6's only (meta nfproto ipv6): an IPv4 packet without a route back passes
        assertThat(kind(rs, Pkt.tcp("192.0.2.9", "10.0.0.1", 22).hook(Hook.PREROUTING).in("eth0"))).isEqualTo(Verdict.Kind.ACCEPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"firewalld6.json", "firewalld6.list.txt"})
    void firewalldsInputZoneByFamily(String file) {
        NftRuleset rs = load(file);
        assertThat(kind(rs, in(Pkt.tcp("2001:db8:5::9", "2001:db8::1", 22)))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(kind(rs, in(Pkt.tcp("2001:db8:5::9", "2001:db8::1", 80).state(CtState.ESTABLISHED)))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(kind(rs, in(icmp6("2001:db8:5::9", "2001:db8::1", Packet.ICMP6_ECHO_REQUEST, 0)))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(kind(rs, in(Pkt.udp("fe80::1", "fe80::2", 546)))).isEqualTo(Verdict.Kind.ACCEPT);
        // the interval set: a prefix and a range
        assertThat(kind(rs, in(Pkt.tcp("2001:db8:bad:1::1", "2001:db8::1", 22)))).isEqualTo(Verdict.Kind.DROP);
        assertThat(kind(rs, in(Pkt.tcp("2001:db8:77::80", "2001:db8::1", 22)))).isEqualTo(Verdict.Kind.DROP);
        assertThat(kind(rs, in(Pkt.tcp("2001:db8:77::100", "2001:db8::1", 22)))).isEqualTo(Verdict.Kind.ACCEPT);
        // ip saddr never matches an IPv6 packet, ip6 saddr never an IPv4 one
        assertThat(kind(rs, in(Pkt.tcp("2001:db8:10::1", "2001:db8::1", 8080)))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(kind(rs, in(Pkt.tcp("10.1.1.1", "10.0.0.1", 8080)))).isEqualTo(Verdict.Kind.ACCEPT);
        // icmpx answers each family in its own ICMP
        assertThat(rejectWith(rs, in(Pkt.tcp("2001:db8:11::1", "2001:db8::1", 8080)))).isEqualTo("icmp6-adm-prohibited");
        assertThat(rejectWith(rs, in(Pkt.tcp("192.0.2.1", "10.0.0.1", 8080)))).isEqualTo("icmp-admin-prohibited");
        // `reject with icmpv6` acts on IPv6 packets only, `reject with icmp` on IPv4 ones
        assertThat(rejectWith(rs, in(Pkt.tcp("2001:db8:5::9", "2001:db8::1", 9090)))).isEqualTo("icmp6-addr-unreachable");
        assertThat(rejectWith(rs, in(Pkt.tcp("192.0.2.1", "10.0.0.1", 9090)))).isEqualTo("icmp-admin-prohibited");
        assertThat(rejectWith(rs, in(Pkt.tcp("2001:db8:5::9", "2001:db8::1", 9091)))).isEqualTo("icmp6-adm-prohibited");
        assertThat(rejectWith(rs, in(Pkt.tcp("192.0.2.1", "10.0.0.1", 9091)))).isEqualTo("icmp-host-prohibited");
    }

    @ParameterizedTest
    @ValueSource(strings = {"firewalld6.json", "firewalld6.list.txt"})
    void natStatementsActOnTheirFamily(String file) {
        NftRuleset rs = load(file);
        Verdict v6 = run(rs, Pkt.tcp("2001:db8:5::9", "2001:db8::1", 8443).hook(Hook.PREROUTING).in("eth0"));
        assertThat(v6.nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("2001:db8:1::10"), Ip.parse("2001:db8:1::10"), 443, 443));
        assertThat(run(rs, Pkt.tcp("10.1.1.1", "10.0.0.1", 8443).hook(Hook.PREROUTING).in("eth0")).nat()).isNull();
        Verdict v4 = run(rs, Pkt.tcp("10.1.1.1", "10.0.0.1", 8444).hook(Hook.PREROUTING).in("eth0"));
        assertThat(v4.nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("192.168.1.10"), Ip.parse("192.168.1.10"), 443, 443));
        assertThat(run(rs, Pkt.tcp("2001:db8:5::9", "2001:db8::1", 8444).hook(Hook.PREROUTING).in("eth0")).nat()).isNull();
        Pkt masq = Pkt.tcp("fd00:1::5", "2001:db8:5::9", 443).hook(Hook.POSTROUTING).in("lan0").out("eth0");
        assertThat(run(rs, masq).nat().type()).isEqualTo(NatAction.Type.MASQUERADE);
        Pkt snat = Pkt.tcp("fd00:2::5", "2001:db8:5::9", 443).hook(Hook.POSTROUTING).in("lan0").out("eth0");
        assertThat(run(rs, snat).nat()).isEqualTo(new NatAction(NatAction.Type.SNAT, Ip.parse("2001:db8::1"), Ip.parse("2001:db8::1"), 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fw4v6.json", "fw4v6.list.txt"})
    void fw4AcceptsTheIcmpv6Ipv6NeedsFromWan(String file) {
        NftRuleset rs = load(file);
        Pkt ping = in(icmp6("2001:db8:5::9", "2001:db8::1", Packet.ICMP6_ECHO_REQUEST, 0)).in("wan");
        assertThat(kind(rs, ping)).isEqualTo(Verdict.Kind.ACCEPT);
        Pkt ns = in(icmp6("fe80::2", "ff02::1:ff00:1", Packet.ND_NEIGHBOR_SOLICIT, 0)).in("wan");
        ns.packet.ttl = 255;
        assertThat(kind(rs, ns)).isEqualTo(Verdict.Kind.ACCEPT);
        Pkt routedNs = in(icmp6("2001:db8:5::2", "2001:db8::1", Packet.ND_NEIGHBOR_SOLICIT, 0)).in("wan");
        routedNs.packet.ttl = 60;
        assertThat(rejectWith(rs, routedNs)).isEqualTo("icmp6-port-unreachable");
        // MLD from a link-local source only, by type . code
        assertThat(kind(rs, in(icmp6("fe80::2", "ff02::16", 143, 0)).in("wan"))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(kind(rs, in(icmp6("2001:db8:5::2", "ff02::16", 143, 0)).in("wan"))).isEqualTo(Verdict.Kind.REJECT);
        // DHCPv6 for IPv6, DHCP for IPv4 (meta nfproto)
        assertThat(kind(rs, in(Pkt.udp("fe80::1", "fe80::2", 546)).in("wan"))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(rejectWith(rs, in(Pkt.udp("fe80::1", "fe80::2", 68)).in("wan"))).isEqualTo("icmp6-port-unreachable");
        assertThat(kind(rs, in(Pkt.udp("10.9.9.9", "10.0.0.1", 68)).in("wan"))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(rejectWith(rs, in(Pkt.tcp("2001:db8:5::9", "2001:db8::1", 80)).in("wan"))).isEqualTo("tcp-reset");
        // an ICMP (IPv4) type never matches ICMPv6: IPv6's echo request is type 128, not 8
        Pkt type8 = in(icmp6("2001:db8:5::9", "2001:db8::1", 8, 0)).in("wan");
        assertThat(rejectWith(rs, type8)).isEqualTo("icmp6-port-unreachable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fw4v6.json", "fw4v6.list.txt"})
    void fw4ForwardsToTheOpenedAddressAndPacketTooBig(String file) {
        NftRuleset rs = load(file);
        Pkt web = Pkt.tcp("2001:db8:5::9", "2001:db8:1:2::10", 443).hook(Hook.FORWARD).in("wan").out("br-lan");
        assertThat(kind(rs, web)).isEqualTo(Verdict.Kind.ACCEPT);
        Pkt other = Pkt.tcp("2001:db8:5::9", "2001:db8:1:2::11", 443).hook(Hook.FORWARD).in("wan").out("br-lan");
        assertThat(rejectWith(rs, other)).isEqualTo("tcp-reset");
        Pkt ptb = icmp6("2001:db8:5::9", "2001:db8:1:2::11", Packet.ICMP6_PACKET_TOO_BIG, 0).hook(Hook.FORWARD).in("wan").out("br-lan");
        assertThat(kind(rs, ptb)).isEqualTo(Verdict.Kind.ACCEPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fw4v6.json", "fw4v6.list.txt"})
    void ip6TableSetsMapsRangesAndHopLimit(String file) {
        NftRuleset rs = load(file);
        java.util.function.Function<String, Pkt> out = dst -> Pkt.tcp("2001:db8::100", dst, 80).hook(Hook.OUTPUT).in(null).out("eth0");
        assertThat(kind(rs, out.apply("2001:db8::1"))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(kind(rs, out.apply("2001:db8::2"))).isEqualTo(Verdict.Kind.DROP);
        assertThat(rejectWith(rs, out.apply("2001:db8::5"))).isEqualTo("icmp6-no-route");
        Pkt low = out.apply("2001:db8:100:ff::1");
        low.packet.ttl = 5;
        assertThat(kind(rs, low)).isEqualTo(Verdict.Kind.DROP);
        assertThat(kind(rs, out.apply("2001:db8:100:ff::1"))).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(rejectWith(rs, out.apply("2001:db8::11"))).isEqualTo("icmp6-port-unreachable");
        Pkt icmp = icmp6("2001:db8::100", "2001:db8::2", Packet.ICMP6_ECHO_REQUEST, 0).hook(Hook.OUTPUT).in(null).out("eth0");
        assertThat(kind(rs, icmp)).isEqualTo(Verdict.Kind.ACCEPT);
        // an ip6 table does not see IPv4 packets
        assertThat(rs.chains(Hook.OUTPUT)).filteredOn(c -> c.table().equals("filter6"))
                .allSatisfy(c -> assertThat(c.sees(Ip.Family.IPV4)).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"natmap6.json", "natmap6.list.txt"})
    void natMapsOfIpv6AddressesAndPrefixes(String file) {
        NftRuleset rs = load(file);
        Pkt web = Pkt.tcp("2001:db8:5::9", "2001:db8::1", 8080).hook(Hook.PREROUTING).in("eth0");
        assertThat(run(rs, web).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("2001:db8:1::10"), Ip.parse("2001:db8:1::10"), 80, 80));
        // netmap: the map's prefix replaces the network part, the host part stays
        Pkt mapped = Pkt.tcp("2001:db8:5::9", "2001:db8:ff::1:2", 22).hook(Hook.PREROUTING).in("eth0");
        assertThat(run(rs, mapped).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("fd00:ff::1:2"), Ip.parse("fd00:ff::1:2"), 0, 0));
        // the IPv4 map is for IPv4 packets only, and an IPv4 packet finds no element in the IPv6 ones
        Pkt v4 = Pkt.tcp("10.1.1.1", "10.0.0.1", 8081).hook(Hook.PREROUTING).in("eth0");
        assertThat(run(rs, v4).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("192.168.1.10"), Ip.parse("192.168.1.10"), 80, 80));
        assertThat(run(rs, Pkt.tcp("10.1.1.1", "10.0.0.1", 8080).hook(Hook.PREROUTING).in("eth0")).nat()).isNull();
        assertThat(run(rs, Pkt.tcp("2001:db8:5::9", "2001:db8::1", 8081).hook(Hook.PREROUTING).in("eth0")).nat()).isNull();
        // ct original ip6 saddr
        Pkt out = Pkt.tcp("fd00:9::5", "2001:db8:5::9", 443).hook(Hook.POSTROUTING).in("lan0").out("eth0");
        assertThat(run(rs, out).nat().type()).isEqualTo(NatAction.Type.MASQUERADE);
        Pkt other = Pkt.tcp("fd00:8::5", "2001:db8:5::9", 443).hook(Hook.POSTROUTING).in("lan0").out("eth0");
        assertThat(run(rs, other).nat()).isNull();
    }

    @Test
    void ipv6FieldsInExpressions() {
        Pkt p = Pkt.tcp("2001:db8::2", "2001:db8::1", 443);
        p.packet.ttl = 64;
        p.packet.tos = 0x2e << 2;
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"ip6\", \"field\": \"nexthdr\"}}", "\"tcp\""), p.copy())).isTrue();
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"ip6\", \"field\": \"hoplimit\"}}", "64"), hop(64))).isTrue();
        assertThat(NftFixtures.holds(match("{\"meta\": {\"key\": \"nfproto\"}}", "\"ipv6\""), p.copy())).isTrue();
        assertThat(NftFixtures.holds(match("{\"meta\": {\"key\": \"nfproto\"}}", "\"ipv4\""), p.copy())).isFalse();
        assertThat(NftFixtures.holds(match("{\"meta\": {\"key\": \"l4proto\"}}", "\"ipv6-icmp\""),
                icmp6("2001:db8::2", "2001:db8::1", 128, 0))).isTrue();
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"icmpv6\", \"field\": \"type\"}}", "\"echo-request\""),
                icmp6("2001:db8::2", "2001:db8::1", 128, 0))).isTrue();
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"icmpv6\", \"field\": \"code\"}}", "\"addr-unreachable\""),
                icmp6("2001:db8::2", "2001:db8::1", 1, 3))).isTrue();
        // IPv4's header fields are not there in an IPv6 packet
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"ip\", \"field\": \"protocol\"}}", "\"tcp\""), p.copy())).isFalse();
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}",
                "{\"prefix\": {\"addr\": \"0.0.0.0\", \"len\": 0}}"), p.copy())).isFalse();
        // nor IPv6's in an IPv4 one
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"ip6\", \"field\": \"saddr\"}}",
                "{\"prefix\": {\"addr\": \"::\", \"len\": 0}}"), Pkt.tcp("10.0.0.1", "10.0.0.2", 1))).isFalse();
        assertThat(NftFixtures.holds(match("{\"payload\": {\"protocol\": \"ip6\", \"field\": \"saddr\"}}",
                "{\"prefix\": {\"addr\": \"::\", \"len\": 0}}"), p.copy())).isTrue();
        // the conntrack's original addresses
        assertThat(NftFixtures.holds(match("{\"ct\": {\"key\": \"ip6 saddr\", \"dir\": \"original\"}}", "\"2001:db8::2\""),
                p.copy().state(CtState.ESTABLISHED))).isTrue();
        // no extension header in the model's packets
        assertThat(NftFixtures.holds(match("{\"exthdr\": {\"name\": \"frag\"}}", "true"), p.copy())).isFalse();
        assertThat(NftFixtures.holds(match("{\"exthdr\": {\"name\": \"frag\"}}", "false"), p.copy())).isTrue();
    }

    private static Pkt hop(int hl) {
        Pkt p = Pkt.tcp("2001:db8::2", "2001:db8::1", 443);
        p.packet.ttl = hl;
        return p;
    }

    private static String match(String left, String right) {
        return "{\"match\": {\"op\": \"==\", \"left\": " + left + ", \"right\": " + right + "}}";
    }
}
