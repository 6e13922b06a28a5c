package roundtrip.report;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Sentences;
import roundtrip.model.Ip;
import roundtrip.model.Message;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sentences of kernel, sim, netfilter, iptables and nft, said by id, read in Chinese (nested reasons, routes with
 * their policy rule and stages in Chinese too), and their English is the sentence as it was written before.
 */
class KernelSentencesZhTest {
    private static Message of(Message.Id id, Object... args) { return Message.of(id, args); }

    private static final Message.RouteText ROUTE = new Message.RouteText("default via 10.1.0.1 dev eth0", null);
    private static final Message HOW = of(Sentences.POLICY_OF, "DROP", "filter FORWARD");

    @Test void eachReadsInChinese() {
        List<Message> samples = List.of(
                of(Sentences.DEV_DOWN, "eth0"),
                of(Sentences.MARTIAN_SOURCE_ROUTE_BACK, Ip.parse("10.0.0.1"), new Message.RouteText("blackhole 10.0.0.0/8", null)),
                of(Sentences.MARTIAN_DESTINATION_ROUTE, Ip.parse("10.0.0.255"),
                        new Message.RouteText("broadcast 10.0.0.255 dev eth0 table local", "100: from all lookup local")),
                of(Sentences.FORWARDING_OFF, "eth0", "net.ipv4.ip_forward", 0),
                of(Sentences.NO_USABLE_ROUTE, Ip.parse("10.9.9.9"), new Message.RouteText("prohibit", "100: from all to 10.9.0.0/16 prohibit"),
                        of(Sentences.EACCES)),
                of(Sentences.ERROR_ROUTE, "unreachable", new Message.RouteText("unreachable 10.9.0.0/16", null)),
                of(Sentences.RP_STRICT, Ip.parse("10.2.0.10"), "eth0", "eth1", ROUTE),
                of(Sentences.REJECTED, "icmp-host-prohibited", of(Sentences.RULE_IN_SUB_CHAIN, "inet fw4 forward", "accept_to_wan")),
                of(Sentences.DROPPED, HOW),
                of(roundtrip.model.Sentences.NOT_COLLECTED, of(Sentences.RP_SYSCTLS_ASSUMED, "rp_filter = 1, accept_local = 1", "gw",
                        of(Sentences.WOULD_DROP), Ip.parse("10.0.0.9"), "eth1")),
                of(roundtrip.sim.Sentences.NO_ANSWER_SENT, "pc", of(Sentences.DROPPED, of(Sentences.RULE_IN, "filter INPUT"))),
                of(roundtrip.sim.Sentences.CONNECTION_REFUSED, of(roundtrip.sim.Sentences.RST_NOTHING_LISTENS, 8080)),
                of(roundtrip.sim.Sentences.ANSWER_FROM_ELSEWHERE, "10.0.0.1", "10.0.0.2", of(roundtrip.sim.Sentences.PING_IGNORES)),
                of(roundtrip.sim.Sentences.BRIDGED_TRAFFIC, of(Sentences.DROPPED, HOW), "bridge-nf-call-iptables"),
                of(roundtrip.sim.Sentences.TUNNEL_INTO_ITSELF, "wg0: Avoiding routing loop to 198.51.100.1:51820"),
                of(roundtrip.sim.Sentences.NA_FILTERED, Ip.parse("2001:db8::1"), "eth0", "gw", "rejected", HOW),
                of(roundtrip.model.Sentences.NOT_COLLECTED, of(roundtrip.sim.Sentences.BRIDGE_NF_ASSUMED, "net.bridge.bridge-nf-call-ip6tables", "br0",
                        "gw", "ip6tables")),
                of(roundtrip.netfilter.iptables.Sentences.DEPENDS_TAKEN_TO_HOLD, "-m limit --limit 3/hour",
                        of(roundtrip.netfilter.iptables.Sentences.RATE_BEFORE)),
                of(roundtrip.netfilter.iptables.Sentences.TAKEN_NOT_TO_MATCH, "-j TPROXY --on-port 8080",
                        of(roundtrip.netfilter.iptables.Sentences.TRANSPARENT_SOCKET_NOT_SIMULATED)),
                of(roundtrip.netfilter.iptables.Sentences.MATCH_SET_UNKNOWN, "blocked",
                        of(roundtrip.netfilter.Sentences.SET_NOT_IN_FILE, "blocked", "ipset.txt")),
                of(roundtrip.netfilter.nft.Sentences.TAKEN_AS_MATCHING, of(roundtrip.netfilter.nft.Sentences.NOT_KNOWN_FOR_PACKET, "meta cpu")),
                of(roundtrip.netfilter.nft.Sentences.FAMILY_NOT_SIMULATED_ONE, "arp", 1));
        for (Message m : samples) {
            String zh = Zh.text(m);
            assertThat(zh).as(m.english()).isNotEqualTo(m.english());
            assertThat(new UntranslatedEnglish(List.of()).find(zh)).as(m.english() + "\n  -> " + zh).isNull();
        }
    }

    @Test void theEnglishIsTheSentenceAsItWasWritten() {
        assertThat(of(Sentences.NO_USABLE_ROUTE, Ip.parse("10.9.9.9"), new Message.RouteText("prohibit", "100: from all to 10.9.0.0/16 prohibit"),
                of(Sentences.EACCES)).english())
                .isEqualTo("no usable route to 10.9.9.9: prohibit (via rule 100: from all to 10.9.0.0/16 prohibit); the sender gets EACCES"
                        + " (permission denied)");
        assertThat(of(roundtrip.sim.Sentences.KEEPALIVE_LEARNED, "laptop", "wg0", "PersistentKeepalive", "203.0.113.5:51820", "vps",
                "198.51.100.9:4000").english())
                .isEqualTo("laptop wg0 sends its PersistentKeepalive to 203.0.113.5:51820; vps learned the endpoint 198.51.100.9:4000 from it"
                        + " (before the probe)");
    }

    /** What the English-pattern table made of these sentences, which ids must give the same. */
    @Test void nestedReasonsAndRoutesReadAsTheyDid() {
        assertThat(Zh.text(of(Sentences.RP_STRICT, Ip.parse("10.2.0.10"), "eth0", "eth1", ROUTE)))
                .isEqualTo("rp_filter（严格模式）：回到 10.2.0.10 的路由从 eth0 出去，而不是包进来的 eth1（`default via 10.1.0.1 dev eth0`）");
        assertThat(Zh.text(of(Sentences.DROPPED, HOW))).isEqualTo("被 filter FORWARD 的默认策略 DROP 丢弃");
        assertThat(Zh.text(of(Sentences.MARTIAN_DESTINATION_ROUTE, Ip.parse("10.0.0.255"),
                new Message.RouteText("broadcast 10.0.0.255 dev eth0 table local", "100: from all lookup local"))))
                .isEqualTo("目的地址 10.0.0.255 非法（martian destination，`broadcast 10.0.0.255 dev eth0 table local`（经策略路由规则"
                        + " `100: from all lookup local`））");
    }

    @Test void sentencesTheTableNoLongerHoldsReadInChinese() {
        assertThat(Zh.text(of(roundtrip.sim.Sentences.SYN_ACK))).isEqualTo("监听套接字回的 SYN-ACK");
        assertThat(Zh.text(of(roundtrip.sim.Sentences.KEEPALIVE_LOST, "laptop", "wg0", "PersistentKeepalive", "203.0.113.5:51820", "cgnat",
                of(Sentences.DROPPED, HOW))))
                .isEqualTo("laptop 的 wg0 向 203.0.113.5:51820 发送 PersistentKeepalive，但它在 cgnat 上丢失：被 filter FORWARD 的默认策略 DROP 丢弃");
        assertThat(Zh.text(of(roundtrip.netfilter.Sentences.DEVICES_DOWN_OUT, "wg0, wg1", "gw")))
                .isEqualTo("这条规则写的是 gw 上的 wg0, wg1，它们都处于 down 状态：现在没有包会从它们出去");
    }
}
