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
                "Recursive routing detected, drop tun packet to [AF_INET]198.51.100.10:1194",
                "wg0: No valid endpoint has been configured or discovered for peer KEb3EMqe…",
                "wg0: Invalid handshake initiation from 198.51.100.2:51820 (its public key is not a [Peer] of wg0)",
                "vpn2/198.51.100.2:1194 MULTI: bad source address from client [192.168.4.20], packet dropped (the source is not vpn2's"
                        + " virtual address (unknown) nor in its iroutes [10.1.0.0/24]; it belongs to vpn1; OpenVPN logs this at verb 4 and above,"
                        + " and this server runs at verb 3, so its log is silent)",
                "no client has the virtual address or an iroute for 10.8.0.9: the server drops the packet (multi.c logs only"
                        + " \"GET INST BY VIRT: 10.8.0.9 [failed]\", at verb 7); the server knows no clients",
                "client vpncli has 192.168.4.20, but where it connects from is unknown (not in status.log, no client host in the snapshot)",
                "a packet from 198.51.100.2:1194 belongs to no client session of the server (no status.log entry or client configuration pairs with it)",
                "no remote with an IPv4 address and no peer has connected yet: the tunnel has no peer to send to",
                "TAP: the ARP request for 10.8.0.6 (client vpn2) is never answered: without client-to-client the server writes the broadcast"
                        + " to its own tap device, and its kernel answers ARP only for its own addresses",
                "TCP/UDP: Incoming packet rejected from [AF_INET]198.51.100.3:1194[2], expected peer address: [AF_INET]198.51.100.2:1194"
                        + " (allow this incoming source address/port by removing --remote or adding --float)",
                "2 piece(s) of configuration not understood, first: packet handed to user space (NFQUEUE): outcome unknown",
                "1 piece(s) of configuration not understood, first: not understood (not understood: \"geneve\"); the rule is not evaluated,"
                        + " results that reach it are uncertain",
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
                "the request was destination-NATed here and came in on tun0 from vps; the answer to 198.51.100.50 leaves by wan0"
                        + " (default via 192.0.2.1 dev wan0)",
                "router sends the answer to 10.1.0.2 by default via 192.0.2.1 dev wan0, away from r1 where the request came from",
                "a routes 192.168.9.10 into wg0, but no peer of wg0 has it in its AllowedIPs",
                "vpnsrv tun0: client vpncli sends from 192.168.4.20, but no iroute of vpncli holds it (no `iroute` for 192.168.4.0/24 in ccd/vpncli)",
                "laptop routes the tunnel's own packets to 198.51.100.10 into the tunnel (tun0)",
                "laptop routes the tunnel's own packets to 198.51.100.10 into the tunnel by default via 10.8.0.1 dev tun0",
                "laptop routes the tunnel's own packets to 198.51.100.10 into the tunnel",
                "link: eth0 is down",
                "not simulated: fw4 rebuilds its nft ruleset from /etc/config/firewall, which the snapshot does not hold (masq_allow_invalid on zone wan)",
                // warnings about tunnel configuration
                "vpn tun0: TAP mode is simulated at layer 3 like tun (MAC learning, ARP and broadcasts are not simulated): results for it are less certain",
                "vpn: OpenVPN (tun0) installs a route to 10.9.0.0/24, but the collected routing table has none (route add failed, e.g. without the"
                        + " rights to add it; or the table changed since)",
                "laptop tun0: remote 198.51.100.10:1194 is vpn, which has no OpenVPN server listening on udp port 1194: the tunnel cannot come up",
                "laptop tun0: remote 198.51.100.10 is no host's address; taken to reach the only server on udp port 1194, vpn:tun0 (port forwarding?)",
                "laptop tun0: remote 198.51.100.10 is no host's address and no server matches: the server side is not simulated",
                "laptop tun0: remote 198.51.100.10 is no host's address and more than one server matches: the server side is not simulated",
                "client vpncli has no virtual address in the status file",
                "client vpncli is disabled by its CCD file: the server refuses it",
                "client vpncli has no CCD file and the server has ccd-exclusive: the server refuses it",
                "client vpncli has 10.8.0.6 on tun0 but its CCD pushes 10.8.0.10: the server's table uses the pushed one",
                "client vpncli (laptop:tun0) has no address on tun0: and the server has no pool; its packets cannot be matched",
                "client vpncli (laptop:tun0) has no address on tun0: taken to get 10.8.0.6 from the pool, in connection order",
                "client host laptop points its remote at this server but the status file does not list it (not connected when it was written?):"
                        + " paired with common name laptop",
                "CCD file for common name vpn-client, but the status file does not list such a client: its iroutes are not used",
                "CCD file for common name vpn-client, but no client host of that name points at this server: its iroutes are not used",
                "clients a and b have the same virtual address 10.8.0.6: the server routes it to only one of them",
                "pull-filter ignore \"redirect-gateway\" rejects pushed \"redirect-gateway def1\": the client disconnects",
                "route 10.9.0.0/24: its gateway is unknown on laptop, not added",
                "NOTE: unable to redirect IPv4 default gateway -- Cannot read current default gateway from system (laptop has no default route):"
                        + " no redirect routes are added",
                "redirect-gateway local: no host route to the server 198.51.100.10, which is not on a connected subnet: the tunnel's own packets"
                        + " will follow the new default into the tunnel (\"Recursive routing detected\")",
                "redirect-gateway without def1 deletes \"default via 192.168.1.1 dev eth0\" and adds \"default via 10.8.0.1 dev tun0\"",
                "route 10.9.0.0/24 conflicts with \"10.9.0.0/24 via 192.168.1.1 dev eth0\" on laptop: RTNETLINK answers: File exists"
                        + " (ERROR: Linux route add command failed), the route is not installed",
                "route 10.9.0.0/16 to tun0: the more specific \"10.9.1.0/24 via 192.168.1.1 dev eth0\" on laptop still wins for 10.9.1.0/24",
                "route 192.168.1.0/25 to tun0 takes part of laptop's own connected network 192.168.1.0/24 (eth0) into the tunnel",
                "tunnel configuration of an unknown kind: GreConfig",
                "a wg0: peer KEb3EMqe… matches no WireGuard interface in the snapshot (keys do not pair): packets to it cannot be followed",
                "a wg0: Endpoint 198.51.100.9 is an address no host in the snapshot has (it may be behind NAT)",
                "wg0 on a: public keys are missing, the peer sending from 198.51.100.9 was assumed to be this [Peer]");
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
        assertThat(Zh.text("wg0: Packet has unallowed src IP (192.168.9.10) from peer KEb3EMqe… (172.30.0.2:51820)"))
                .startsWith("\"wg0: Packet has unallowed src IP (192.168.9.10) from peer KEb3EMqe… (172.30.0.2:51820)\"：");
        assertThat(Zh.text("vpncli/198.51.100.20:58205 MULTI: bad source address from client [192.168.4.20], packet dropped (the source"
                + " is not vpncli's virtual address 10.200.0.2 nor in its iroutes []; OpenVPN logs this at verb 4 and above)"))
                .isEqualTo("\"vpncli/198.51.100.20:58205 MULTI: bad source address from client [192.168.4.20], packet dropped\""
                        + "（源地址不是 vpncli 的虚拟地址 10.200.0.2，而 vpncli 没有任何 iroute；OpenVPN 在 verb 4 及以上才记录这条日志）");
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
