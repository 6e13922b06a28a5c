package roundtrip.report;

import org.junit.jupiter.api.Test;
import roundtrip.fix.Change;
import roundtrip.fix.Dialect;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translation table on the sentences the stories do not reach: every persistence hint of every kind of change
 * in both dialects (made by the code itself), and one sample of each drop reason, finding and error the table
 * knows (written as the code writes them).
 */
class ZhTest {
    private static final UntranslatedEnglish NONE_VERBATIM = new UntranslatedEnglish(List.of());

    private static void readsInChinese(Message m) {
        String english = m.english(), zh = Zh.text(m);
        assertThat(zh).as(english).isNotEqualTo(english);
        assertThat(NONE_VERBATIM.find(zh)).as(english + "\n  -> " + zh).isNull();
    }

    private static void readsInChinese(String english) {
        String zh = Zh.text(english);
        assertThat(zh).as(english).isNotEqualTo(english);
        assertThat(NONE_VERBATIM.find(zh)).as(english + "\n  -> " + zh).isNull();
    }

    @Test void everyPersistenceHintOfEveryKindOfChangeInBothDialects() {
        Route route = new Route(100, RouteType.UNICAST, Prefix.parse("10.200.0.0/24"), Ip.parse("10.198.0.10"), "eth0", null,
                0, "global", 0, false, Source.NONE);
        Route main = new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.parse("10.200.0.0/24"), null, "eth0", null,
                0, "link", 0, false, Source.NONE);
        List<Change> changes = List.of(
                new Change.AddRoute("gw", route), new Change.AddRoute("gw", main), new Change.ReplaceRoute("gw", main, route),
                new Change.AddRule("gw", Prefix.parse("10.0.0.0/24"), null, 0x10L, 100),
                new Change.IptablesRule("gw", "nat", "POSTROUTING", false, "-s 10.200.0.0/24 -o eth0 -j MASQUERADE"),
                new Change.IptablesRule("gw", "filter", "FORWARD", true, "-i tun0 -o eth0 -j ACCEPT"),
                new Change.IptablesDelete("gw", "filter", "-A FORWARD -j DROP"),
                new Change.IptablesPolicy("gw", "filter", "FORWARD", "ACCEPT"),
                new Change.SetSysctl("gw", "net.ipv4.ip_forward", "1"),
                new Change.WireGuardAllowedIps("gw", "wg0", "KEb3EMqeOUyMVBDiELqf/HxKlnBqtfdBXabbRLYsUwQ=", 0,
                        List.of(Prefix.parse("10.9.0.2/32")), Prefix.parse("192.168.9.0/24")),
                new Change.OpenVpnIroute("gw", "tun0", "server.conf", "ccd", "vpncli", Prefix.parse("192.168.4.0/24")),
                new Change.OpenVpnSignal("cli", "tun0", "client.conf", "client.pid", "USR1",
                        Message.of(roundtrip.fix.Sentences.SIGNAL_CLIENT_RECONNECTS_FOR_CCD, "cli", "ccd/cli")),
                new Change.OpenVpnSignal("cli", "tun0", null, null, "HUP", Message.of(roundtrip.fix.Sentences.SIGNAL_SERVER_REREADS, "server.conf")),
                new Change.OpenVpnRedirectGateway("cli", "tun0", "client.conf", "client.conf",
                        new roundtrip.model.Source("cli/openvpn/client.conf", 7, "redirect-gateway local"), "redirect-gateway def1"),
                new Change.UciFirewallZoneOption("gw", "wan", "@zone[1]", "masq_allow_invalid", "1", List.of()),
                new Change.UciFirewallZoneOption("gw", "wan", null, "masq_allow_invalid", "1", List.of("nft delete rule inet fw4 accept_to_wan handle 79")),
                new Change.UfwRouteAllow("gw", "tun0", "eth0"), new Change.UfwDefaultRouted("gw"),
                new Change.FirewalldMasquerade("gw", "public", true, false),
                new Change.FirewalldMasquerade("gw", "public", true, true));
        List<Message> hints = new ArrayList<>();
        for (Change c : changes)
            for (Dialect d : Dialect.values()) { hints.add(c.persistence(d)); hints.add(c.persistenceSummary(d)); }
        for (Change c : changes) hints.addAll(c.notes());
        for (Message hint : hints.stream().distinct().toList()) {
            if (hint.english().startsWith("echo '")) { assertThat(Zh.text(hint)).isEqualTo(hint.english()); continue; }   // a command: as written
            readsInChinese(hint);
        }
        // what the admin types stays as written
        assertThat(Zh.text(changes.get(0).persistence(Dialect.LINUX))).contains("`post-up ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0 table 100`");
    }

    @Test void everyDropReasonFindingAndErrorTheTableKnows() {
        List<String> samples = List.of(
                "eth0 is down",
                "martian source 10.0.0.1: it is an address of this host",
                "martian source 10.0.0.1: the route back is blackhole 10.0.0.0/8",
                "martian source 224.0.0.1",
                "martian destination 10.0.0.255 (broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.1)",
                "martian destination 0.0.0.1",
                "martian: loopback address 127.0.0.1 on eth0",
                "TTL exceeded in transit (a routing loop, or too many hops)",
                "cannot send from 10.0.0.9: no interface of gw has it",
                "no source address for 10.0.0.0/24 dev eth0 scope link",
                "no usable route to 10.9.9.9: no route; the sender gets ENETUNREACH (network is unreachable)",
                "no usable route to 10.9.9.9: unreachable 10.9.0.0/16; the sender gets EHOSTUNREACH (no route to host)",
                "no usable route to 10.9.9.9: prohibit (via rule 100: from all to 10.9.0.0/16 prohibit); the sender gets EACCES (permission denied)",
                "blackhole route: blackhole 10.9.0.0/16",
                "unreachable route: unreachable 10.9.0.0/16",
                "filter FORWARD: queued to user space, outcome unknown",
                "packet handed to user space (NFQUEUE): outcome unknown",
                "rejected (icmp-host-prohibited) by the REJECT policy of filter INPUT",
                "dropped by a rule in inet fw4 forward (chain accept_to_wan)",
                "MASQUERADE: eth0 has no address to use",
                "REDIRECT: eth0 has no address",
                "rp_filter: no route back to 10.2.0.10",
                "rp_filter: eth1 has no address",
                "the request was delivered to gw, not to pc",
                "no answer was sent: the request was lost on pc (dropped by a rule in filter INPUT)",
                "the request passed pc but was delivered to gw",
                "the data segment reached gw, not pc where the connection was accepted",
                "echo requests are ignored (net.ipv4.icmp_echo_ignore_all)",
                "no answer",
                "the answer was delivered to gw instead of client",
                "the prober received IP 10.0.0.1 > 10.0.0.2: ICMP 10.0.0.1 udp port 53 unreachable instead of an answer",
                "the answer comes from 10.0.0.1 but the prober talks to 10.0.0.2; ping does not count it as a reply",
                "the answer is addressed to 10.0.0.3:40000, not to the prober's 10.0.0.2:40000",
                "RST: no connection for this segment (connection refused)",
                "dropped by a rule in filter FORWARD (bridged traffic, bridge-nf-call-iptables = 1)",
                "the tunnel packet carrying it (IP 198.51.100.2.51820 > 203.0.113.1.51820: UDP, length 148) was lost: dropped by the DROP policy of filter INPUT",
                "routing loop: r1 -> r2 -> r1; the TTL ran out on r2",
                "more than 64 hops",
                "wg0: Avoiding routing loop to 198.51.100.1:51820: the tunnel's own packets are routed into the tunnel",
                "tun0 is a point-to-point device (tun) with no tunnel configuration in the snapshot and no segment in topology.json: roundtrip"
                        + " cannot tell where the program that owns it sends its packets (add a segment joining both ends of the tunnel)",
                "eth3 is not attached to any segment in topology.json",
                "no answer to ARP for 10.0.0.9 on eth0 (no host on that segment has this address)",
                "include not followed: the rules of /etc/nftables.d/*.nft are not in the input (collect or paste them too); every verdict"
                        + " through this host is uncertain",
                "meta hour: depends on when the packet is sent; taken as matching",
                "meta cpu is not known for a simulated packet; taken as matching",
                "ct helper is not known for a simulated connection; the first element of the map is taken",
                "ct status expected is not modelled; evaluated as not set",
                "set @blocked is filled by rules as packets pass: evaluated with the elements the ruleset lists, not those earlier traffic"
                        + " (or this probe) may have added",
                "family bridge is not simulated (only ip, ip6 and inet tables are): its 3 rules were not evaluated",
                "family arp is not simulated (only ip, ip6 and inet tables are): its 1 rule was not evaluated",
                "hook ingress is not simulated: this chain's rules were not evaluated",
                "link: eth0 is down",
                "not simulated: fw4 rebuilds its nft ruleset from /etc/config/firewall, which the snapshot does not hold (masq_allow_invalid on zone wan)");
        for (String s : samples) readsInChinese(s);
        // the fixes' and the lab's, said by id
        for (Message m : List.of(
                Message.of(roundtrip.fix.Sentences.NO_HOST, "gw"),
                Message.of(roundtrip.fix.Sentences.WG_NOT_A_PEER, "KEb3EMqe", "wg0"),
                Message.of(roundtrip.fix.Sentences.ROUTE_EXISTS, new Message.RouteText("10.200.0.0/24 via 10.198.0.10 dev eth0", null)),
                Message.of(roundtrip.fix.Sentences.NO_WIREGUARD_ON_DEVICE, "wg9"),
                Message.of(roundtrip.fix.Sentences.FIREWALL_NOT_IPTABLES, "gw"),
                Message.of(roundtrip.fix.Sentences.IPTABLES_BAD_RULE, "-A FORWARD -j DROP"),
                Message.of(roundtrip.lab.Sentences.NEEDS_ROOT, "1000"),
                Message.of(roundtrip.lab.Sentences.NETNS_DOES_NOT_WORK),
                Message.of(roundtrip.lab.Sentences.TOOL_NOT_INSTALLED, "tcpdump"),
                Message.of(roundtrip.lab.Sentences.CANNOT_RUN_IP, "No such file or directory")))
            readsInChinese(m);
    }

    @Test void daemonMessagesAndTechnicalTextStayAsWritten() {
        assertThat(Zh.text("rp_filter (strict): the route back to 10.2.0.10 leaves by eth0, not eth1 (default via 10.1.0.1 dev eth0)"))
                .isEqualTo("rp_filter（严格模式）：回到 10.2.0.10 的路由从 eth0 出去，而不是包进来的 eth1（`default via 10.1.0.1 dev eth0`）");
        assertThat(Zh.text("dropped by the DROP policy of filter FORWARD")).isEqualTo("被 filter FORWARD 的默认策略 DROP 丢弃");
        assertThat(Zh.route(new roundtrip.model.Message.RouteText("default via 10.10.10.1 dev tun0 table 1234",
                "32765: from all fwmark 0x1234 lookup 1234"), false))
                .isEqualTo("default via 10.10.10.1 dev tun0 table 1234（经策略路由规则 32765: from all fwmark 0x1234 lookup 1234）");
    }

    @Test void aSentenceTheTableDoesNotKnowStaysAsWritten() {
        assertThat(Zh.text("something new the kernel model says")).isEqualTo("something new the kernel model says");
        assertThat(Zh.stage("somewhere")).isEqualTo("somewhere");
    }

    @Test void iptablesExtensionsThatRestOnAnAssumptionReadInChinese() {
        for (String english : List.of(
                "-m limit --limit 3/hour: depends on the rate of the traffic before this one; taken to hold, as for the first packet of a quiet flow",
                "-m recent --update --seconds 60 --hitcount 4 --name SSH: depends on the packets seen before this one; taken not to hold, as for the first packet of a quiet flow",
                "-m connlimit --connlimit-above 10: depends on the number of connections already open; taken not to hold, as for the first packet of a quiet flow",
                "-m string --string \"GET /\" --algo bm: the packet's bytes (payload and headers) are not simulated; the rule is taken not to match",
                "-m socket --transparent: whether a local socket would take this packet is not simulated; the rule is taken not to match",
                "-j TPROXY --on-port 8080: whether a transparent socket takes the packet (else the kernel drops it) is not simulated; the rule is taken not to match",
                "-m physdev: the topology names the bridge, not the port the frame uses; name the bridge's ports in topology.json",
                "-m owner --uid-owner 1000: the user and group of the program that sends the packet are not known",
                "-m conntrack --ctexpire 10:100: the time left before the connection's entry expires is not simulated",
                "-m set --match-set blocked: the members of set blocked are not known (ipset.txt was not collected)"))
            readsInChinese(english);
    }
}
