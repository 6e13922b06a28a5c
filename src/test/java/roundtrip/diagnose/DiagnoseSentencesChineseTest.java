package roundtrip.diagnose;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.report.UntranslatedEnglish;
import roundtrip.report.Zh;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.diagnose.Sentences.*;

/** What a finding says reads in Chinese: one sample of each sentence, as the diagnosis fills it. */
class DiagnoseSentencesChineseTest {
    private static final UntranslatedEnglish NONE_VERBATIM = new UntranslatedEnglish(List.of());
    private static final Message.RouteText ROUTE = new Message.RouteText("default via 192.0.2.1 dev wan0", null);
    private static final Message.RouteText VIA_RULE = new Message.RouteText("default via 10.10.10.1 dev tun0 table 1234",
            "32765: from all fwmark 0x1234 lookup 1234");
    private static final Message.Term NETFILTER = () -> "netfilter";
    private static final Message REASON = Message.of(roundtrip.tunnel.Sentences.WG_NO_PEER, "wg0", Ip.parse("192.168.9.10"));
    private static final Ip IP = Ip.parse("10.1.0.2"), OTHER = Ip.parse("10.1.0.3");
    private static final Prefix NET = Prefix.parse("192.168.4.0/24");

    private static void readsInChinese(Message m) {
        String zh = Zh.text(m);
        assertThat(zh).as(m.english()).isNotEqualTo(m.english());
        assertThat(NONE_VERBATIM.find(zh)).as(m.english() + "\n  -> " + zh).isNull();
    }

    @Test void everyFindingReadsInChinese() {
        List<Message> samples = new ArrayList<>(List.of(
                Message.of(LOST_AT, NETFILTER, REASON),
                Message.of(SETTINGS_NOT_COLLECTED, 2, REASON),
                Message.of(NOT_UNDERSTOOD, 1, REASON),
                Message.of(RULE_CAPTURES_ANSWER, "eth0", "r1", "5270: from all lookup 52", IP, "52", "vpn0", ROUTE, "10.1.0.0/24 dev eth0"),
                Message.of(RULE_CAPTURES_OWN_PACKET, "5270: from all lookup 52", "box", IP, OTHER, "100", ROUTE, "vpn0",
                        "172.17.0.0/16 dev docker0", "docker0"),
                Message.of(RULE_CAPTURES_FORWARDED_PACKET, "5270: from all lookup 52", "box", IP, OTHER, "100", VIA_RULE, "vpn0",
                        "172.17.0.0/16 dev docker0", "docker0"),
                Message.of(ANSWERS_FROM_MAIN_TABLE, "gw", ROUTE, "100", IP, "eth1"),
                Message.of(ANSWER_LEAVES_ELSEWHERE, "eth0", "r1", "wan0", ROUTE),
                Message.of(DNAT_ANSWER_LEAVES_ELSEWHERE, Message.of(DNAT_HERE), "tun0", "vps", IP, "wan0", ROUTE),
                Message.of(DNAT_ANSWER_BYPASSES_NAT, Message.of(DNAT_ON, "edge"), "tun0", "vps", IP, "wan0", ROUTE, "edge"),
                Message.of(ANSWER_SENT_AWAY, "router", IP, ROUTE, "r1"),
                Message.of(ANSWER_AWAY_FROM_TUNNEL, "router", IP, ROUTE, "vpn", "tun0"),
                Message.of(ANSWER_AWAY_FROM_LINK, "router", IP, ROUTE, "r1", "eth1"),
                Message.of(NO_ROUTE_BACK_TO_LINK, "router", IP, "r1", "eth1"),
                Message.of(FORWARDS_DEFAULT_WITHOUT_SNAT, "pi", IP, "eth0", ROUTE, "isp"),
                Message.of(FORWARDS_WITHOUT_SNAT, "pi", IP, "eth0", ROUTE, "isp"),
                Message.of(WRONG_SOURCE_CHOSEN, "pc", IP, "eth0", ROUTE, OTHER),
                Message.of(GATEWAY_NOT_ON_LINK, "gw", IP, OTHER, "eth0", ROUTE),
                Message.of(ROUTE_SWALLOWS_DESTINATION, "gw", ROUTE, IP, "eth1", OTHER, "eth0"),
                Message.of(NEIGHBOUR_SILENT, "gw", IP, "eth1", ROUTE),
                Message.of(NEIGHBOUR_SILENT_GATEWAY_NEAR, "gw", IP, "eth1", ROUTE, OTHER),
                Message.of(NDP_PROXY_MISSING, "pc", Ip.parse("2001:db8::5"), "eth0", "2001:db8::/64 dev eth0", "gw",
                        "2001:db8::/64 dev wg0", "lan"),
                Message.of(SOLICITATION_FILTERED, "gw", "filter INPUT", Ip.parse("2001:db8::5"), "pc", "eth0"),
                Message.of(ADVERTISEMENT_FILTERED, "gw", "filter OUTPUT", Ip.parse("2001:db8::5"), "pc", "eth0"),
                Message.of(SNAT_TO_FOREIGN, "gw", IP, OTHER, "eth0"),
                Message.of(SNAT_TO_FOREIGN_OWN, "gw", IP, OTHER, "eth0", Ip.parse("192.0.2.2")),
                Message.of(NAT_RULE_NAMES_OTHER_OUT, "MASQUERADE", "pi", "wlan0", IP, "eth0", ROUTE),
                Message.of(ALLOWED_IPS_SHORT, "KEb3EMqe…", "hub", "wg0", "site", Message.of(SITE_NETWORK_HOLDS, NET, IP), "10.66.0.2/32",
                        Message.of(ALLOWED_IPS_LACK_IT), Message.of(SENDS_IT_OUT, "eth0", ROUTE)),
                Message.of(ALLOWED_IPS_SHORT, "KEb3EMqe…", "hub", "wg0", "site", Message.of(SITE_ROUTES_ON, NET, IP), "10.66.0.2/32",
                        Message.of(ALLOWED_IPS_LACK_IT), Message.of(NO_WAY_INTO_TUNNEL)),
                Message.of(ALLOWED_IPS_SHORT, "KEb3EMqe…", "laptop", "wg0", "vps", Message.of(SITE_REACHES_BY_DEFAULT, IP),
                        "10.66.0.0/24", Message.of(ALLOWED_IPS_ONLY_THOSE), Message.of(SENDS_IT_OUT, "eth0", ROUTE)),
                Message.of(ACCEPT_MEANT_FOR, "vpn", "-s", "10.7.0.0/24", Message.of(PACKET_COMES_FROM, IP), NETFILTER, REASON),
                Message.of(ACCEPT_MEANT_FOR, "vpn", "-d", "10.7.0.0/24", Message.of(PACKET_GOES_TO, IP), NETFILTER, REASON),
                Message.of(ACCEPT_MEANT_FOR, "vpn", "-p", "tcp", Message.of(PACKET_IS, "udp"), NETFILTER, REASON),
                Message.of(ACCEPT_MEANT_FOR, "vpn", "-i", "tun1", Message.of(PACKET_COMES_IN_BY, "tun0"), NETFILTER, REASON),
                Message.of(ACCEPT_MEANT_FOR, "vpn", "-o", "ens3", Message.of(PACKET_LEAVES_BY, "eth0"), NETFILTER, REASON),
                Message.of(ACCEPT_BEHIND_DROP, "-A FORWARD -i in0 -o out0 -j ACCEPT", "test.yaml:12", "-A FORWARD -j REJECT",
                        "test.yaml:11", "FORWARD"),
                Message.of(INVALID_OFF_PATH, "fw", "r2", "-A FORWARD -m conntrack --ctstate INVALID -j DROP"),
                Message.of(WG_SOURCE_NOT_ALLOWED, "hub", "wg0", IP, "KEb3EMqe…", "[10.66.0.2/32]"),
                Message.of(WG_SOURCE_NOT_ALLOWED_FORWARDED, "hub", "wg0", IP, "KEb3EMqe…", "[10.66.0.2/32]", "site", NET, "wg0"),
                Message.of(WG_NO_PEER_ROUTED, "a", IP, "wg0", ROUTE),
                Message.of(WG_NO_PEER, "a", IP, "wg0"),
                Message.of(OVPN_IROUTE_MISSING, "vpnsrv", "tun0", "vpncli", IP, NET, "ccd"),
                Message.of(OVPN_IROUTE_IN_OTHER_FILE, "vpnsrv", "tun0", "vpncli", IP, NET, "ccd", "vpn-client"),
                Message.of(OVPN_BEHIND_CLIENT, "vpnsrv", "tun0", IP, "vpncli", "site-b"),
                Message.of(TUNNEL_INTO_ITSELF_BY, "laptop", IP, "tun0", ROUTE),
                Message.of(TUNNEL_INTO_ITSELF_DEV, "laptop", IP, "tun0"),
                Message.of(TUNNEL_INTO_ITSELF_ROUTE, "laptop", IP, ROUTE),
                Message.of(TUNNEL_INTO_ITSELF, "laptop", IP),
                Message.of(ALLOWED_IPS_NOT_ROUTED, "gw", IP, "eth0", ROUTE, "wg0", "KEb3EMqe…", NET)));
        Message snat = Message.of(SNAT_TO_FOREIGN, "gw", IP, OTHER, "eth0");
        for (Message head : List.of(Message.of(CANNOT_ROUTE_IT, "isp", REASON), Message.of(DOES_NOT_FORWARD_IT, "isp", REASON),
                Message.of(DROPS_IT, "isp", NETFILTER, REASON), Message.of(CAUSE_LIES_THERE, "isp", "missing-return-route")))
            for (Message tail : List.of(snat, Message.of(SEND_ANSWER_BACK, "eth0", "r1", "wan0", ROUTE, "eth0"),
                    Message.of(HANDS_TO_UNMANAGED, "edge", IP, ROUTE, "pi"),
                    Message.of(MASQUERADE_FOR_UNMANAGED_ACCEPT, "isp", "pi", IP, "eth0", ROUTE),
                    Message.of(MASQUERADE_FOR_UNMANAGED_ROUTE_BACK, "isp", "pi", IP, "eth0", ROUTE),
                    Message.of(LAST_HOST_YOURS, "pi")))
                samples.add(Message.of(NOT_YOURS, head, "isp", tail));
        for (Message m : samples) readsInChinese(m);
    }

    @Test void theAcceptMeantForItSaysWhichFieldDiffers() {
        Message m = Message.of(ACCEPT_MEANT_FOR, "vpn", "-s", "10.7.0.0/24", Message.of(PACKET_COMES_FROM, Ip.parse("10.8.0.2")),
                NETFILTER, REASON);
        assertThat(m.english()).startsWith("the ACCEPT rule of vpn says -s 10.7.0.0/24, but this packet comes from 10.8.0.2: it is not"
                + " accepted (netfilter: wg0: No peer has allowed IPs matching 192.168.9.10)");
        assertThat(Zh.text(m)).startsWith("vpn 的 ACCEPT 规则写的是 -s 10.7.0.0/24，但这个包来自 10.8.0.2：它没有被放行（防火墙环节：");
    }
}
