package roundtrip.tunnel;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.report.UntranslatedEnglish;
import roundtrip.report.Zh;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.tunnel.Sentences.*;

/** The tunnels' sentences read in Chinese (the daemons' log lines quoted as written), one sample of each as the code says it. */
class TunnelSentencesChineseTest {
    private static final UntranslatedEnglish NONE_VERBATIM = new UntranslatedEnglish(List.of());

    private static void readsInChinese(Message m) {
        String zh = Zh.text(m);
        assertThat(zh).as(m.english()).isNotEqualTo(m.english());
        assertThat(NONE_VERBATIM.find(zh)).as(m.english() + "\n  -> " + zh).isNull();
    }

    private static final Message NONE = Message.text("");

    @Test void everyDropAndWarningReadsInChinese() {
        Ip a = Ip.parse("10.8.0.6"), b = Ip.parse("10.8.0.10");
        List<Message> samples = List.of(
                Message.of(WG_NO_PEER, "wg0", Ip.parse("192.168.9.10")),
                Message.of(WG_NO_ENDPOINT, "wg0", "KEb3EMqe…"),
                Message.of(WG_INVALID_HANDSHAKE, "wg0", "198.51.100.2:51820"),
                Message.of(WG_UNALLOWED_SOURCE, "wg0", Ip.parse("192.168.9.10"), "KEb3EMqe…", "172.30.0.2:51820"),
                Message.of(OVPN_BAD_SOURCE, "vpn2/198.51.100.2:1194", Ip.parse("192.168.4.20"), "vpn2", Message.of(OVPN_VIRTUAL_UNKNOWN),
                        "[10.1.0.0/24]", Message.of(OVPN_SOURCE_BELONGS_TO, "vpn1"), Message.of(OVPN_LOGGED_AT_VERB_4_SILENT, 3)),
                Message.of(OVPN_NO_CLIENT, Ip.parse("10.8.0.9"), Message.of(OVPN_NO_CLIENTS)),
                Message.of(OVPN_NO_CLIENT, Ip.parse("10.8.0.9"), Message.of(OVPN_CLIENTS, "vpncli 10.8.0.6 [192.168.4.0/24]")),
                Message.of(OVPN_CLIENT_UNLOCATED, "vpncli", Ip.parse("192.168.4.20")),
                Message.of(OVPN_NO_SESSION, "198.51.100.2:1194"),
                Message.of(OVPN_RECURSIVE_ROUTING, "[AF_INET]198.51.100.10:1194"),
                Message.of(OVPN_NO_PEER_TO_SEND_TO),
                Message.of(OVPN_TAP_ARP_UNANSWERED, a, "vpn2"),
                Message.of(OVPN_INCOMING_REJECTED, "[AF_INET]198.51.100.3:1194", "[AF_INET]198.51.100.2:1194"),
                Message.of(WG_PEERS_GUESSED, "wg0", "a", Ip.parse("198.51.100.9")),
                Message.of(WG_PEER_UNPAIRED, "a", "wg0", "KEb3EMqe…"),
                Message.of(WG_ENDPOINT_NOBODYS, "a", "wg0", Ip.parse("198.51.100.9")),
                Message.of(UNKNOWN_TUNNEL_KIND, "GreConfig"),
                Message.of(OVPN_REMOTE_NAME_UNRESOLVED, "laptop", "tun0", "vpn.example.com"),
                Message.of(OVPN_REMOTE_NAME_UNRESOLVED_FOLLOWS, "laptop", "tun0", "vpn.example.com", "198.51.100.10"),
                Message.of(OVPN_TAP_AT_LAYER_3, "vpn", "tun0"),
                Message.of(OVPN_ROUTE_NOT_COLLECTED, "vpn", "tun0", Prefix.parse("10.9.0.0/24")),
                Message.of(OVPN_REMOTE_NO_SERVER, "laptop", "tun0", "198.51.100.10:1194", "vpn", "udp", 1194, NONE),
                Message.of(OVPN_REMOTE_NO_SERVER, "laptop", "tun0", "198.51.100.10:1194", "vpn", "udp", 1194,
                        Message.of(OVPN_FIRST_PACKET_UNANSWERED, "vpn", "198.51.100.10:1194")),
                Message.of(OVPN_REMOTE_FORWARDED, "laptop", "tun0", Ip.parse("198.51.100.10"), "udp", 1194, "vpn:tun0"),
                Message.of(OVPN_REMOTE_NO_SERVER_MATCHES, "laptop", "tun0", Ip.parse("198.51.100.10"), NONE),
                Message.of(OVPN_REMOTE_SERVERS_MATCH, "laptop", "tun0", Ip.parse("198.51.100.10"),
                        Message.of(OVPN_FIRST_PACKET_LOST, "isp", Message.of(WG_NO_PEER, "wg0", Ip.parse("198.51.100.10")))),
                Message.of(OVPN_NO_VIRTUAL_IN_STATUS, "vpncli"),
                Message.of(OVPN_CLIENT_DISABLED, "vpncli"),
                Message.of(OVPN_CCD_EXCLUSIVE, "vpncli"),
                Message.of(OVPN_CCD_PUSHES_OTHER, "vpncli", a, "tun0", b),
                Message.of(OVPN_NO_ADDRESS_NO_POOL, "vpncli", "laptop:tun0", "tun0"),
                Message.of(OVPN_ADDRESS_FROM_POOL, "vpncli", "laptop:tun0", "tun0", a),
                Message.of(OVPN_CLIENT_NOT_IN_STATUS, "laptop", "laptop"),
                Message.of(OVPN_CCD_NOT_IN_STATUS, "vpn-client"),
                Message.of(OVPN_CCD_NO_CLIENT_HOST, "vpn-client"),
                Message.of(OVPN_SAME_VIRTUAL, "a", "b", a),
                Message.of(OVPN_NET30, "laptop", "tun0", a, Ip.parse("10.8.0.5"), Ip.parse("10.8.0.1")),
                Message.of(OVPN_ROUTE_EXISTS, "laptop", "tun0", "10.9.0.0/24 via 10.8.0.5 dev tun0", "server.conf:12"),
                Message.of(OVPN_ROUTE_GATEWAY_UNKNOWN, Prefix.parse("10.9.0.0/24"), "laptop"),
                Message.of(OVPN_REDIRECT_IPV6_NO_ADDRESS, "laptop", "tun0"),
                Message.of(OVPN_ROUTE_IPV6_NO_ADDRESS, "laptop", "tun0"),
                Message.of(OVPN_PULL_FILTER_REJECTS, "ignore \"redirect-gateway\"", "redirect-gateway def1"),
                Message.of(OVPN_NO_DEFAULT_TO_REDIRECT, "laptop"),
                Message.of(OVPN_REDIRECT_LOCAL_LOOPS, Ip.parse("198.51.100.10")),
                Message.of(OVPN_REDIRECT_WITHOUT_DEF1, "default via 192.168.1.1 dev eth0", "default via 10.8.0.1 dev tun0"),
                Message.of(OVPN_ROUTE_CONFLICTS, Prefix.parse("10.9.0.0/24"), "10.9.0.0/24 via 192.168.1.1 dev eth0", "laptop"),
                Message.of(OVPN_ROUTE_OUTDONE, Prefix.parse("10.9.0.0/16"), "tun0", "10.9.1.0/24 via 192.168.1.1 dev eth0", "laptop",
                        Prefix.parse("10.9.1.0/24")),
                Message.of(OVPN_LINK_LOCAL_SOURCE, "vpncli/198.51.100.20:58205", Ip.parse("fe80::1")),
                Message.of(OVPN_REMOTE_FAMILY_UNTAKEN, "laptop", "tun0", "2001:db8::1"),
                Message.of(OVPN_REMOTE_FAMILY_UNTAKEN_FOLLOWS, "laptop", "tun0", "2001:db8::1", "198.51.100.10"),
                Message.of(OVPN_STATIC_IPV4_NO_IPV6, "vpncli"),
                Message.of(OVPN_IPV6_FROM_POOL, "vpncli", "laptop:tun0", "tun0", Ip.parse("fd42::1000")),
                Message.of(OVPN_ROUTE_IPV6_NO_NET_GATEWAY, Prefix.parse("2001:db8:1::/48", Ip.Family.IPV6), "laptop"),
                Message.of(OVPN_ROUTE6_NO_GATEWAY, Prefix.parse("2001:db8:1::/48", Ip.Family.IPV6)),
                Message.of(OVPN_ROUTE6_OVERLAPS_REMOTE),
                Message.of(OVPN_ROUTE_TAKES_LOCAL_NETWORK, Prefix.parse("192.168.1.0/25"), "tun0", "laptop", Prefix.parse("192.168.1.0/24"), "eth0"));
        for (Message m : samples) readsInChinese(m);
    }

    @Test void theDaemonsLogLinesStayAsWritten() {
        assertThat(Zh.text(Message.of(WG_UNALLOWED_SOURCE, "wg0", Ip.parse("192.168.9.10"), "KEb3EMqe…", "172.30.0.2:51820")))
                .startsWith("\"wg0: Packet has unallowed src IP (192.168.9.10) from peer KEb3EMqe… (172.30.0.2:51820)\"：");
        Message bad = Message.of(OVPN_BAD_SOURCE_NO_IROUTES, "vpncli/198.51.100.20:58205", Ip.parse("192.168.4.20"), "vpncli",
                Ip.parse("10.200.0.2"), NONE, Message.of(OVPN_LOGGED_AT_VERB_4));
        assertThat(bad.english()).isEqualTo("vpncli/198.51.100.20:58205 MULTI: bad source address from client [192.168.4.20], packet"
                + " dropped (the source is not vpncli's virtual address 10.200.0.2 nor in its iroutes []; OpenVPN logs this at verb 4 and above)");
        assertThat(Zh.text(bad)).isEqualTo("\"vpncli/198.51.100.20:58205 MULTI: bad source address from client [192.168.4.20], packet dropped\""
                + "（源地址不是 vpncli 的虚拟地址 10.200.0.2，而 vpncli 没有任何 iroute；OpenVPN 在 verb 4 及以上才记录这条日志）");
    }
}
