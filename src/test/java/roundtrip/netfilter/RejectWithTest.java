package roundtrip.netfilter;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Packet;

import static org.assertj.core.api.Assertions.assertThat;

class RejectWithTest {
    @Test
    void ip6tablesWordsAreIcmpv6Codes() {
        assertThat(RejectWith.icmpv6Code("icmp6-no-route")).isEqualTo(Packet.ICMP6_NOROUTE);
        assertThat(RejectWith.icmpv6Code("icmp6-adm-prohibited")).isEqualTo(Packet.ICMP6_ADM_PROHIBITED);
        assertThat(RejectWith.icmpv6Code("icmp6-addr-unreachable")).isEqualTo(Packet.ICMP6_ADDR_UNREACH);
        assertThat(RejectWith.icmpv6Code("icmp6-port-unreachable")).isEqualTo(Packet.ICMP6_PORT_UNREACH);
        assertThat(RejectWith.icmpv6Code(null)).isEqualTo(Packet.ICMP6_PORT_UNREACH);
        assertThat(RejectWith.defaultFor(Ip.Family.IPV6)).isEqualTo("icmp6-port-unreachable");
        assertThat(RejectWith.defaultFor(Ip.Family.IPV4)).isEqualTo("icmp-port-unreachable");
        assertThat(RejectWith.isTcpReset("tcp-reset")).isTrue();
    }
}
