package roundtrip.netfilter.iptables;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Pkt;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.Verdict;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.netfilter.Pkt.icmp6;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ip6tables-save files read with the iptables parser: the fixtures were loaded into a scratch namespace with
 * ip6tables-restore 1.8.9 and read back with ip6tables-save (numeric ICMPv6 types, REJECT's default printed,
 * bracketed NAT addresses), in the shapes ufw and Docker give their IPv6 rules.
 */
class Ip6tablesTest {

    static IptablesRuleset load(String name) {
        return IptablesSaveParser.parseIp6Ruleset("ip6/" + name, IptablesSaveParserTest.resource("ip6/" + name));
    }

    static IptablesRuleset rules(String text) { return IptablesSaveParser.parseIp6Ruleset("h/ip6tables-save.txt", text); }

    static Verdict run(IptablesRuleset rs, String table, Pkt pkt) { return run(rs, table, pkt, c -> { }); }

    static Verdict run(IptablesRuleset rs, String table, Pkt pkt, Consumer<PacketContext> setup) {
        PacketContext ctx = pkt.ctx();
        setup.accept(ctx);
        Verdict v = rs.evaluate(table, pkt.hook, ctx);
        assertThat(ctx.uncertain).as("uncertain for " + pkt).isEmpty();
        return v;
    }

    /** The verdict of `-A hook OPTIONS -j ACCEPT` in a DROP-policy chain of ip6tables' filter table. */
    static boolean matches(String options, Pkt pkt) { return matches("filter", options, pkt, c -> { }); }

    static boolean matches(String table, String options, Pkt pkt, Consumer<PacketContext> setup) {
        IptablesRuleset rs = rules("*" + table + "\n:" + pkt.hook + " DROP [0:0]\n-A " + pkt.hook + " " + options + " -j ACCEPT\nCOMMIT\n");
        assertThat(rs.problems()).as("problems of " + options).isEmpty();
        return run(rs, table, pkt, setup).kind() == Verdict.Kind.ACCEPT;
    }

    @Test
    void ufwsRulesAreUnderstoodAndSeeOnlyIpv6() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        assertThat(rs.problems()).isEmpty();
        assertThat(rs.family()).isEqualTo(Ip.Family.IPV6);
        List<BaseChain> input = rs.chains(Hook.INPUT);
        assertThat(input).isNotEmpty().allSatisfy(c -> {
            assertThat(c.sees(Ip.Family.IPV6)).isTrue();
            assertThat(c.sees(Ip.Family.IPV4)).isFalse();
        });
    }

    @Test
    void ufwAcceptsPingSshAndNeighbourDiscoveryFromTheLinkOnly() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        Pkt ping = icmp6("2001:db8:5::9", "2001:db8::1", Packet.ICMP6_ECHO_REQUEST, 0);
        assertThat(run(rs, "filter", ping).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:5::9", "2001:db8::1", 22)).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        // neighbour solicitation: accepted with hop limit 255 only (a routed one has less)
        Pkt ns = icmp6("fe80::2", "ff02::1:ff00:1", Packet.ND_NEIGHBOR_SOLICIT, 0);
        ns.packet.ttl = 255;
        assertThat(run(rs, "filter", ns).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        Pkt routed = icmp6("fe80::2", "ff02::1:ff00:1", Packet.ND_NEIGHBOR_SOLICIT, 0);
        routed.packet.ttl = 64;
        assertThat(run(rs, "filter", routed).kind()).isEqualTo(Verdict.Kind.DROP);
        // not the router solicitation: ufw only accepts advertisements
        Pkt rsol = icmp6("fe80::2", "ff02::2", Packet.ND_ROUTER_SOLICIT, 0);
        rsol.packet.ttl = 255;
        assertThat(run(rs, "filter", rsol).kind()).isEqualTo(Verdict.Kind.DROP);
        // the web rule holds for its /48 only
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:10:ff::1", "2001:db8::1", 443)).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:11::1", "2001:db8::1", 443)).kind()).isEqualTo(Verdict.Kind.DROP);
        // DHCPv6 replies from a link-local server
        assertThat(run(rs, "filter", Pkt.udp("fe80::1", "fe80::2", 546).sport(547)).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(run(rs, "filter", Pkt.udp("2001:db8::9", "fe80::2", 546).sport(547)).kind()).isEqualTo(Verdict.Kind.DROP);
    }

    @Test
    void rejectAnswersWithIcmpv6PortUnreachableByDefault() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        Verdict v = run(rs, "filter", Pkt.tcp("2001:db8:5::9", "2001:db8::1", 8080));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(v.rejectWith()).isEqualTo("icmp6-port-unreachable");
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:5::9", "2001:db8::1", 25)).rejectWith()).isEqualTo("tcp-reset");
        String text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j REJECT\n"
                + "-A INPUT -p udp -j REJECT --reject-with icmp6-adm-prohibited\n-A INPUT -p ipv6-icmp -j REJECT --reject-with no-route\n"
                + "-A INPUT -j REJECT --reject-with addr-unreach\nCOMMIT\n";
        IptablesRuleset r = rules(text);
        assertThat(run(r, "filter", Pkt.tcp("2001:db8::2", "2001:db8::1", 1)).rejectWith()).isEqualTo("icmp6-port-unreachable");
        assertThat(run(r, "filter", Pkt.udp("2001:db8::2", "2001:db8::1", 1)).rejectWith()).isEqualTo("icmp6-adm-prohibited");
        assertThat(run(r, "filter", icmp6("2001:db8::2", "2001:db8::1", 128, 0)).rejectWith()).isEqualTo("icmp6-no-route");
        Pkt other = Pkt.tcp("2001:db8::2", "2001:db8::1", 1);
        other.packet.proto = 132;
        assertThat(run(r, "filter", other).rejectWith()).isEqualTo("icmp6-addr-unreachable");
        // an IPv4 reject type is not ip6tables'
        assertThatThrownBy(() -> rules("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown reject type")
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(3));
    }

    @Test
    void routingHeaderRulesNeverMatchPacketsWithoutOne() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        Pkt fwd = icmp6("2001:db8:5::9", "2001:db8:6::9", Packet.ICMP6_ECHO_REQUEST, 0).hook(Hook.FORWARD).out("eth1");
        assertThat(run(rs, "filter", fwd).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(matches("-m rt --rt-type 0", Pkt.tcp("2001:db8::2", "2001:db8::1", 1))).isFalse();
        assertThat(matches("-m frag --fragid 5", Pkt.tcp("2001:db8::2", "2001:db8::1", 1))).isFalse();
        assertThat(matches("-m hbh --hbh-len 8", Pkt.tcp("2001:db8::2", "2001:db8::1", 1))).isFalse();
        // -m ipv6header as ip6tables-save prints it: the model's packets have their transport header only
        Pkt tcp = Pkt.tcp("2001:db8::2", "2001:db8::1", 1);
        assertThat(matches("-m ipv6header --header protocol", tcp)).isTrue();
        assertThat(matches("-m ipv6header --header hop-by-hop,ipv6-frag,protocol", tcp)).isFalse();
        assertThat(matches("-m ipv6header --header hop-by-hop,ipv6-frag,protocol --soft", tcp)).isFalse();
        assertThat(matches("-m ipv6header --header ipv6-frag --soft", tcp)).isFalse();
        assertThat(matches("-m ipv6header ! --header ipv6-frag --soft", tcp)).isTrue();
        assertThat(matches("-m ipv6header ! --header esp,ipv6-nonxt --soft", tcp)).isTrue();
        assertThat(matches("-m ipv6header ! --header protocol", tcp)).isFalse();
    }

    @Test
    void addressesPrefixesAndMasks() {
        Pkt p = Pkt.tcp("2001:db8:1:2::5", "fd00::1", 80);
        assertThat(matches("-s 2001:db8::/32", p)).isTrue();
        assertThat(matches("-s 2001:db8:1:3::/64", p)).isFalse();
        assertThat(matches("! -s 2001:db8:1:3::/64", p)).isTrue();
        assertThat(matches("-d fd00::1/128", p)).isTrue();
        assertThat(matches("-d fd00::1", p)).isTrue();
        assertThat(matches("-d fd00::2", p)).isFalse();
        assertThat(matches("-s 2001:db8::/ffff:ffff::", p)).isTrue();
        assertThat(matches("-s 2001:db9::/ffff:ffff::", p)).isFalse();
        // a comma list is one rule per address, as ip6tables inserts it
        assertThat(matches("-s 2001:db9::/32,2001:db8:1::/48", p)).isTrue();
        assertThat(matches("-m iprange --dst-range fd00::-fd00::ff", p)).isTrue();
        assertThat(matches("-m iprange ! --dst-range fd00::-fd00::ff", p)).isFalse();
        assertThatThrownBy(() -> rules("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("bad IPv6 address 10.0.0.0/8");
    }

    @Test
    void icmpv6TypesByNumberNameAndCode() {
        Pkt ping = icmp6("2001:db8::2", "2001:db8::1", 128, 0);
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type 128", ping)).isTrue();
        assertThat(matches("-p icmpv6 --icmpv6-type echo-request", ping)).isTrue();
        assertThat(matches("-p 58 -m icmp6 ! --icmpv6-type echo-request", ping)).isFalse();
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type echo-reply", ping)).isFalse();
        Pkt addrUnreach = icmp6("2001:db8::2", "2001:db8::1", 1, 3);
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type 1/3", addrUnreach)).isTrue();
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type address-unreachable", addrUnreach)).isTrue();
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type port-unreachable", addrUnreach)).isFalse();
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type destination-unreachable", addrUnreach)).isTrue();
        Pkt na = icmp6("fe80::2", "fe80::1", 136, 0);
        assertThat(matches("-p ipv6-icmp -m icmp6 --icmpv6-type neighbor-advertisement", na)).isTrue();
        // -p icmp is protocol 1, which no IPv6 packet carries
        assertThat(matches("-p icmp", ping)).isFalse();
        assertThat(matches("-p ipv6-icmp", Pkt.tcp("2001:db8::2", "2001:db8::1", 1))).isFalse();
    }

    @Test
    void familyAgnosticMatchesJustWork() {
        Pkt p = Pkt.tcp("2001:db8::2", "2001:db8::1", 443).state(CtState.ESTABLISHED).mark(0x10).ctMark(0x20);
        assertThat(matches("-m conntrack --ctstate RELATED,ESTABLISHED", p)).isTrue();
        assertThat(matches("-m state --state NEW", p)).isFalse();
        assertThat(matches("-p tcp -m multiport --dports 80,443", p)).isTrue();
        assertThat(matches("-m mark --mark 0x10", p)).isTrue();
        assertThat(matches("-m connmark --mark 0x20/0xf0", p)).isTrue();
        assertThat(matches("-m comment --comment \"ipv6 web\" -p tcp --dport 443", p)).isTrue();
        assertThat(matches("-m conntrack --ctorigdst 2001:db8::1", p)).isTrue();
        assertThat(matches("-m conntrack --ctorigsrc 2001:db8::/126", p)).isTrue();
        assertThat(matches("-m conntrack ! --ctorigsrc 2001:db8::/126", p)).isFalse();
        assertThat(matches("-m conntrack --ctorigsrc 2001:db8::/127", p)).isFalse();
        assertThat(matches("-m hl --hl-gt 10", p)).isTrue();
        assertThat(matches("-m addrtype --dst-type MULTICAST", p)).isFalse();
        assertThat(matches("-m addrtype --dst-type MULTICAST", Pkt.udp("fe80::2", "ff02::fb", 5353))).isTrue();
        assertThat(matches("-m pkttype --pkt-type multicast", Pkt.udp("fe80::2", "ff02::fb", 5353))).isTrue();
        // 40 bytes of IPv6 header, 40 of TCP with its SYN options
        assertThat(matches("-m length --length 80", Pkt.tcp("2001:db8::2", "2001:db8::1", 443))).isTrue();
    }

    @Test
    void dockersChainsForwardPublishedPortAndIsolate() {
        IptablesRuleset rs = load("docker-ip6tables-save.txt");
        assertThat(rs.problems()).isEmpty();
        Pkt in = Pkt.tcp("2001:db8:9::1", "fd00:d0c::2", 80).hook(Hook.FORWARD).in("eth0").out("docker0");
        assertThat(run(rs, "filter", in).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        Pkt other = Pkt.tcp("2001:db8:9::1", "fd00:d0c::2", 81).hook(Hook.FORWARD).in("eth0").out("docker0");
        assertThat(run(rs, "filter", other).kind()).isEqualTo(Verdict.Kind.DROP);
        Pkt bad = Pkt.tcp("2001:db8:bad::1", "fd00:d0c::2", 80).hook(Hook.FORWARD).in("eth0").out("docker0");
        assertThat(run(rs, "filter", bad).kind()).isEqualTo(Verdict.Kind.DROP);
        Pkt ranged = Pkt.tcp("2001:db8:77::10", "fd00:d0c::2", 80).hook(Hook.FORWARD).in("eth0").out("docker0");
        Verdict v = run(rs, "filter", ranged);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(v.rejectWith()).isEqualTo("icmp6-adm-prohibited");
        // the published port: DNAT to the container's [address]:port when the destination is the host's
        Pkt published = Pkt.tcp("2001:db8:9::1", "2001:db8::1", 8080).hook(Hook.PREROUTING).local("2001:db8::1");
        Verdict nat = run(rs, "nat", published);
        assertThat(nat.kind()).isEqualTo(Verdict.Kind.NAT);
        assertThat(nat.nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("fd00:d0c::2"), Ip.parse("fd00:d0c::2"), 80, 80));
        Pkt out = Pkt.tcp("fd00:d0c::2", "2001:db8:9::1", 443).hook(Hook.POSTROUTING).in("docker0").out("eth0");
        assertThat(run(rs, "nat", out).nat().type()).isEqualTo(NatAction.Type.MASQUERADE);
    }

    @Test
    void natTargetsTakeIpv6AddressesRangesAndPorts() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        Pkt web = Pkt.tcp("2001:db8:9::1", "2001:db8::1", 8443).hook(Hook.PREROUTING).in("wan0");
        assertThat(run(rs, "nat", web).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("2001:db8:1::10"),
                Ip.parse("2001:db8:1::10"), 443, 443));
        Pkt ssh = Pkt.tcp("2001:db8:9::1", "2001:db8::1", 2222).hook(Hook.PREROUTING).in("wan0");
        assertThat(run(rs, "nat", ssh).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("2001:db8:1::11"),
                Ip.parse("2001:db8:1::11"), 0, 0));
        Pkt range = Pkt.udp("2001:db8:9::1", "2001:db8::1", 5003).hook(Hook.PREROUTING).in("wan0");
        assertThat(run(rs, "nat", range).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("2001:db8:1::20"),
                Ip.parse("2001:db8:1::21"), 6000, 6010));
        Pkt snat = Pkt.tcp("fd00:2::5", "2001:db8:9::1", 80).hook(Hook.POSTROUTING).out("wan0");
        assertThat(run(rs, "nat", snat).nat()).isEqualTo(new NatAction(NatAction.Type.SNAT, Ip.parse("2001:db8::1"),
                Ip.parse("2001:db8::1"), 0, 0));
        Pkt netmap = Pkt.tcp("fd00:3::5", "2001:db8:9::1", 80).hook(Hook.POSTROUTING).out("wan0");
        assertThat(run(rs, "nat", netmap).nat()).isEqualTo(new NatAction(NatAction.Type.SNAT, Ip.parse("2001:db8:3::"),
                Ip.parse("2001:db8:3::"), 0, 0, -1, 64));
        Pkt masq = Pkt.tcp("fd00:1::5", "2001:db8:9::1", 80).hook(Hook.POSTROUTING).out("wan0");
        assertThat(run(rs, "nat", masq).nat().type()).isEqualTo(NatAction.Type.MASQUERADE);
        IptablesRuleset ports = rules("*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j DNAT --to-destination :8080\nCOMMIT\n");
        assertThat(run(ports, "nat", web).nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, null, null, 8080, 8080));
    }

    @Test
    void rpfilterLooksTheSourceUpBackwards() {
        // routes: 2001:db8:5::/48 via wan0, fd00::/64 on lan0; the host's own 2001:db8::1
        roundtrip.netfilter.RouteLookup routes = (dst, src, mark, tos) ->
                Ip.parse("2001:db8:5::").equals(dst.masked(48)) ? List.of("wan0")
                        : Ip.parse("fd00::").equals(dst.masked(64)) || dst.isLinkLocal() ? List.of("lan0") : List.of();
        Consumer<PacketContext> withRoutes = c -> c.routes = routes;
        String strict = "-m rpfilter";
        Pkt fromWan = Pkt.tcp("2001:db8:5::9", "2001:db8::1", 22).hook(Hook.PREROUTING).in("wan0");
        assertThat(matches("raw", strict, fromWan, withRoutes)).isTrue();
        Pkt spoofed = Pkt.tcp("fd00::9", "2001:db8::1", 22).hook(Hook.PREROUTING).in("wan0");
        assertThat(matches("raw", strict, spoofed, withRoutes)).isFalse();
        assertThat(matches("raw", "-m rpfilter --loose", spoofed, withRoutes)).isTrue();
        Pkt unroutable = Pkt.tcp("2001:db8:6::9", "2001:db8::1", 22).hook(Hook.PREROUTING).in("wan0");
        assertThat(matches("raw", "-m rpfilter --loose", unroutable, withRoutes)).isFalse();
        assertThat(matches("raw", "-m rpfilter --invert", unroutable, withRoutes)).isTrue();
        // duplicate address detection comes from ::, link-local sources are checked on their own link
        Pkt dad = icmp6("::", "ff02::1:ff00:1", Packet.ND_NEIGHBOR_SOLICIT, 0).hook(Hook.PREROUTING).in("wan0");
        assertThat(matches("raw", strict, dad, withRoutes)).isTrue();
        Pkt linkLocal = Pkt.udp("fe80::2", "ff02::1", 9).hook(Hook.PREROUTING).in("wan0");
        assertThat(matches("raw", strict, linkLocal, withRoutes)).isTrue();
        Pkt own = Pkt.tcp("2001:db8::1", "2001:db8::1", 22).hook(Hook.PREROUTING).in("wan0").local("2001:db8::1");
        assertThat(matches("raw", strict, own, withRoutes)).isFalse();
        assertThat(matches("mangle", "-m rpfilter --accept-local", own, withRoutes)).isTrue();
        assertThat(matches("raw", strict, fromWan.copy().in("lo"), withRoutes)).isTrue();
        // without the host's routes the check cannot be made: uncertain, taken not to match
        IptablesRuleset r = rules("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m rpfilter --invert -j DROP\nCOMMIT\n");
        PacketContext ctx = fromWan.ctx();
        assertThat(r.evaluate("raw", Hook.PREROUTING, ctx).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(ctx.uncertain).singleElement().satisfies(p -> assertThat(p.message().english()).contains("rpfilter"));
        assertThatThrownBy(() -> rules("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m rpfilter -j DROP\nCOMMIT\n"))
                .isInstanceOf(InputException.class).hasMessageContaining("raw or mangle");
    }

    @Test
    void rpfilterInIptablesToo() {
        roundtrip.netfilter.RouteLookup routes = (dst, src, mark, tos) ->
                dst.isV4() && (dst.v4() >>> 24) == 10 ? List.of("lan0") : List.of("wan0");
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("h/iptables-save.txt",
                "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m rpfilter --invert -j DROP\nCOMMIT\n");
        assertThat(rs.problems()).isEmpty();
        assertThat(run(rs, "raw", Pkt.tcp("10.0.0.5", "192.0.2.1", 22).hook(Hook.PREROUTING).in("wan0"), c -> c.routes = routes).kind())
                .isEqualTo(Verdict.Kind.DROP);
        assertThat(run(rs, "raw", Pkt.tcp("10.0.0.5", "192.0.2.1", 22).hook(Hook.PREROUTING).in("lan0"), c -> c.routes = routes).kind())
                .isEqualTo(Verdict.Kind.ACCEPT);
        // DHCP discovery from 0.0.0.0 to the broadcast address passes
        assertThat(run(rs, "raw", Pkt.udp("0.0.0.0", "255.255.255.255", 67).hook(Hook.PREROUTING).in("wan0"), c -> c.routes = routes).kind())
                .isEqualTo(Verdict.Kind.ACCEPT);
    }

    @Test
    void whatIsNotUnderstoodIsAProblemNamingFileAndLine() {
        IptablesRuleset rs = rules("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m mh --mh-type 1 -j DROP\n"
                + "-A INPUT -p icmp -m icmp --icmp-type 8 -j DROP\n-A INPUT -m ttl --ttl-eq 1 -j DROP\nCOMMIT\n");
        assertThat(rs.problems()).extracting(p -> p.source().file() + ":" + p.source().line() + " " + p.message().english())
                .containsExactly("h/ip6tables-save.txt:3 unknown match -m mh", "h/ip6tables-save.txt:4 unknown match -m icmp",
                        "h/ip6tables-save.txt:5 unknown match -m ttl");
        PacketContext ctx = Pkt.tcp("2001:db8::2", "2001:db8::1", 1).ctx();
        assertThat(rs.evaluate("filter", Hook.INPUT, ctx).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        // the icmp rule is never reached by a TCP packet: its -p icmp does not hold
        assertThat(ctx.uncertain).hasSize(2).extracting(p -> p.message().english())
                .containsExactly("unknown match -m mh", "unknown match -m ttl");
    }

    @Test
    void aRuleForTheOtherFamilyIsLeftOut() {
        IptablesRuleset rs = rules("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -4 -j DROP\n-A INPUT -6 -p tcp -j DROP\nCOMMIT\n");
        assertThat(rs.ruleCount("filter", "INPUT")).isEqualTo(1);
        // the kept rule is the -6 one: it drops TCP only
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8::2", "2001:db8::1", 22)).kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(run(rs, "filter", Pkt.udp("2001:db8::2", "2001:db8::1", 53)).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        IptablesRuleset v4 = IptablesSaveParser.parseRuleset("t", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -6 -j DROP\n-A INPUT -4 -p tcp -j DROP\nCOMMIT\n");
        assertThat(v4.ruleCount("filter", "INPUT")).isEqualTo(1);
        assertThat(run(v4, "filter", Pkt.tcp("10.0.0.2", "10.0.0.1", 22)).kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(run(v4, "filter", Pkt.udp("10.0.0.2", "10.0.0.1", 53)).kind()).isEqualTo(Verdict.Kind.ACCEPT);
    }

    @Test
    void ipsetsOfFamilyInet6HoldIpv6Addresses() {
        IptablesRuleset rs = rules("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set bad6 src -j DROP\n"
                + "-A INPUT -m set --match-set bad4 src -j DROP\nCOMMIT\n");
        rs.useSets(roundtrip.netfilter.IpSets.parse("h/ipset.txt", "create bad6 hash:net family inet6 hashsize 1024 maxelem 65536\n"
                + "add bad6 2001:db8:bad::/48\nadd bad6 2001:db8:77::5\n"
                + "create bad4 hash:net family inet hashsize 1024 maxelem 65536\nadd bad4 0.0.0.0/1\nadd bad4 128.0.0.0/1\n"));
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:bad:1::1", "2001:db8::1", 22)).kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:77::5", "2001:db8::1", 22)).kind()).isEqualTo(Verdict.Kind.DROP);
        // not in the IPv6 set, and an IPv4 set never holds an IPv6 address
        assertThat(run(rs, "filter", Pkt.tcp("2001:db8:77::6", "2001:db8::1", 22)).kind()).isEqualTo(Verdict.Kind.ACCEPT);
    }

    @Test
    void tracesSayTheRulesAreIp6tables() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        PacketContext ctx = Pkt.tcp("2001:db8:5::9", "2001:db8::1", 22).ctx();
        rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(ctx.trace).isNotEmpty().allSatisfy(s -> assertThat(s.family()).isEqualTo(roundtrip.netfilter.TraceStep.Family.IP6TABLES));
        assertThat(ctx.trace.get(ctx.trace.size() - 1).rule().file()).isEqualTo("ip6/ufw6-ip6tables-save.txt");
    }

    @Test
    void nearMissesOfIp6tablesRulesNameTheirAddress() {
        IptablesRuleset rs = load("ufw6-ip6tables-save.txt");
        PacketContext ctx = Pkt.tcp("2001:db8:11::1", "2001:db8::1", 443).ctx();
        assertThat(rs.nearMisses("filter", "INPUT", ctx)).filteredOn(m -> !m.flag().equals("-i")).singleElement().satisfies(m -> {
            assertThat(m.flag()).isEqualTo("-s");
            assertThat(m.written()).isEqualTo("2001:db8:10::/48");
            assertThat(m.actual()).isEqualTo("2001:db8:11::1");
        });
        // an IPv4 packet never passes ip6tables' tables
        assertThat(rs.nearMisses("filter", "INPUT", Pkt.tcp("10.0.0.1", "10.0.0.2", 443).ctx())).isEmpty();
    }

    @Test
    void hopLimitTargetAndTos() {
        IptablesRuleset rs = rules("*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j HL --hl-dec 1\nCOMMIT\n");
        assertThat(rs.problems()).isEmpty();
        Pkt p = Pkt.tcp("2001:db8::2", "2001:db8::1", 1).hook(Hook.PREROUTING);
        p.packet.ttl = 64;
        run(rs, "mangle", p);
        assertThat(p.packet.ttl).isEqualTo(63);
    }

    @Test
    void combinedFirewallKeepsEachPartWhereFixesLookForIt() {
        IptablesRuleset v4 = IptablesSaveParser.parseRuleset("h/iptables-save.txt", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n");
        IptablesRuleset v6 = load("ufw6-ip6tables-save.txt");
        Ruleset both = Ruleset.combine(v4, v6);
        assertThat(both.iptablesPart()).isSameAs(v4);
        assertThat(both.ip6tablesPart()).isSameAs(v6);
        assertThat(v6.iptablesPart()).isNotInstanceOf(IptablesRuleset.class);
        // ip6tables' rules go beside the iptables part, ahead of nft's (SnapshotLoader's and the network files' nesting),
        // and a firewall built again from its parts (as a fix that edits one of them does) keeps the others where they were
        Ruleset nft = roundtrip.netfilter.nft.NftInput.text("h/nft.txt", "table inet t { chain c { type filter hook input priority 0; } }\n", n -> n)
                .ruleset(t -> false);
        Ruleset three = Ruleset.withIp6tables(Ruleset.combine(v4, nft), v6);
        assertThat(three.iptablesPart()).isSameAs(v4);
        assertThat(three.ip6tablesPart()).isSameAs(v6);
        assertThat(three.nftPart()).isSameAs(nft);
        IptablesRuleset edited = IptablesSaveParser.parseRuleset("h/iptables-save.txt (with the fix)", "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
        Ruleset fixed = Ruleset.of(edited, three.ip6tablesPart(), three.nftPart());
        assertThat(fixed.iptablesPart()).isSameAs(edited);
        assertThat(fixed.ip6tablesPart()).isSameAs(v6);
        assertThat(fixed.nftPart()).isSameAs(nft);
        Ruleset sixAndNft = Ruleset.withIp6tables(nft, v6);
        assertThat(sixAndNft.ip6tablesPart()).isSameAs(v6);
        assertThat(sixAndNft.iptablesPart()).isNotInstanceOf(IptablesRuleset.class);
        assertThat(sixAndNft.nftPart()).isSameAs(nft);
        assertThat(Ruleset.withIp6tables(v4, v6).ip6tablesPart()).isSameAs(v6);
        assertThat(Ruleset.withIp6tables(null, v6)).isSameAs(v6);
        assertThat(Ruleset.of(null, null, null)).isSameAs(Ruleset.EMPTY);
        // each packet family sees its own table's INPUT only
        List<BaseChain> input = both.chains(Hook.INPUT);
        assertThat(input.stream().filter(c -> c.sees(Ip.Family.IPV4))).hasSize(1);
        assertThat(input.stream().filter(c -> c.sees(Ip.Family.IPV6))).hasSize(1);
    }
}
