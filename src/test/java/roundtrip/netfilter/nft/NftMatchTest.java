package roundtrip.netfilter.nft;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.netfilter.nft.NftFixtures.holds;

/** Matches, each written as `nft -j` writes it (copied from real output, see resources/nft/zoo.*). */
class NftMatchTest {
    static Pkt ssh() { return Pkt.tcp("10.0.0.5", "192.168.1.1", 22).in("eth0").out("eth1"); }

    static String m(String op, String left, String right) {
        return "{\"match\": {\"op\": \"" + op + "\", \"left\": " + left + ", \"right\": " + right + "}}";
    }

    static final String SADDR = "{\"payload\": {\"protocol\": \"ip\", \"field\": \"saddr\"}}";
    static final String DADDR = "{\"payload\": {\"protocol\": \"ip\", \"field\": \"daddr\"}}";
    static final String TCP_DPORT = "{\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}";
    static final String UDP_SPORT = "{\"payload\": {\"protocol\": \"udp\", \"field\": \"sport\"}}";
    static final String TH_DPORT = "{\"payload\": {\"protocol\": \"th\", \"field\": \"dport\"}}";
    static final String CT_STATE = "{\"ct\": {\"key\": \"state\"}}";
    static final String IIFNAME = "{\"meta\": {\"key\": \"iifname\"}}";
    static final String OIFNAME = "{\"meta\": {\"key\": \"oifname\"}}";
    static final String MARK = "{\"meta\": {\"key\": \"mark\"}}";
    static final String CT_MARK = "{\"ct\": {\"key\": \"mark\"}}";
    static final String TCP_FLAGS = "{\"payload\": {\"protocol\": \"tcp\", \"field\": \"flags\"}}";

    @Test
    void addressesPrefixesRangesAndNegation() {
        assertThat(holds(m("==", SADDR, "{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}}"), ssh())).isTrue();
        assertThat(holds(m("==", SADDR, "\"10.0.0.5\""), ssh())).isTrue();
        assertThat(holds(m("==", SADDR, "\"10.0.0.6\""), ssh())).isFalse();
        assertThat(holds(m("!=", DADDR, "{\"prefix\": {\"addr\": \"192.168.0.0\", \"len\": 16}}"), ssh())).isFalse();
        assertThat(holds(m("==", DADDR, "{\"range\": [\"192.168.1.0\", \"192.168.1.9\"]}"), ssh())).isTrue();
        assertThat(holds(m("==", DADDR, "{\"range\": [\"192.168.1.2\", \"192.168.1.9\"]}"), ssh())).isFalse();
    }

    @Test
    void namedAndAnonymousSets() {
        assertThat(holds(m("==", SADDR, "\"@blocked\""), ssh())).isTrue();
        assertThat(holds(m("==", SADDR, "\"@blocked\""), Pkt.tcp("192.168.5.9", "1.1.1.1", 22))).isTrue();
        assertThat(holds(m("==", SADDR, "\"@blocked\""), Pkt.tcp("192.168.5.10", "1.1.1.1", 22))).isFalse();
        assertThat(holds(m("==", TCP_DPORT, "{\"set\": [22, 443]}"), ssh())).isTrue();
        assertThat(holds(m("==", TCP_DPORT, "{\"set\": [80, {\"range\": [1000, 2000]}]}"), ssh())).isFalse();
        assertThat(holds(m("==", IIFNAME, "\"@ifs\""), ssh())).isTrue();
        String concat = "{\"concat\": [" + SADDR + ", " + TCP_DPORT + "]}";
        assertThat(holds(m("==", concat, "\"@pairs\""), Pkt.tcp("10.1.1.1", "1.1.1.1", 22))).isTrue();
        assertThat(holds(m("==", concat, "\"@pairs\""), Pkt.tcp("10.1.1.1", "1.1.1.1", 23))).isFalse();
    }

    @Test
    void transportFieldsImplyTheirProtocol() {
        // `tcp dport != 22` never matches a udp packet: nft adds a `meta l4proto tcp` dependency
        assertThat(holds(m("!=", TCP_DPORT, "22"), Pkt.udp("10.0.0.5", "1.1.1.1", 53))).isFalse();
        assertThat(holds(m("==", UDP_SPORT, "{\"range\": [1000, 2000]}"), Pkt.udp("10.0.0.5", "1.1.1.1", 53).sport(1500))).isTrue();
        assertThat(holds(m("==", TH_DPORT, "53"), Pkt.udp("10.0.0.5", "1.1.1.1", 53))).isTrue();
        assertThat(holds(m("==", TH_DPORT, "53"), Pkt.tcp("10.0.0.5", "1.1.1.1", 53))).isTrue();
        assertThat(holds(m("==", "{\"meta\": {\"key\": \"l4proto\"}}", "{\"set\": [\"tcp\", \"udp\"]}"), ssh())).isTrue();
        assertThat(holds(m("!=", "{\"payload\": {\"protocol\": \"ip\", \"field\": \"protocol\"}}", "\"tcp\""), ssh())).isFalse();
        String icmpType = "{\"payload\": {\"protocol\": \"icmp\", \"field\": \"type\"}}";
        assertThat(holds(m("==", icmpType, "{\"set\": [\"echo-reply\", \"echo-request\"]}"), Pkt.icmp("1.1.1.1", "2.2.2.2", 8, 0))).isTrue();
        assertThat(holds(m("==", icmpType, "\"echo-request\""), Pkt.icmp("1.1.1.1", "2.2.2.2", 0, 0))).isFalse();
        assertThat(holds(m("==", icmpType, "\"echo-request\""), ssh())).isFalse();
    }

    @Test
    void icmpTypeAndCodePairsWithSymbolicCodes() {
        // fw4's `icmp type . icmp code { 3 . 0, 3 . 3 }`, as nft -j lists it back
        String pair = "{\"concat\": [{\"payload\": {\"protocol\": \"icmp\", \"field\": \"type\"}}, "
                + "{\"payload\": {\"protocol\": \"icmp\", \"field\": \"code\"}}]}";
        String set = "{\"set\": [{\"concat\": [\"destination-unreachable\", \"net-unreachable\"]}, "
                + "{\"concat\": [\"destination-unreachable\", \"port-unreachable\"]}]}";
        assertThat(holds(m("==", pair, set), Pkt.icmp("1.1.1.1", "2.2.2.2", 3, 0))).isTrue();
        assertThat(holds(m("==", pair, set), Pkt.icmp("1.1.1.1", "2.2.2.2", 3, 3))).isTrue();
        assertThat(holds(m("==", pair, set), Pkt.icmp("1.1.1.1", "2.2.2.2", 3, 1))).isFalse();
        assertThat(holds(m("==", pair, set), Pkt.icmp("1.1.1.1", "2.2.2.2", 8, 0))).isFalse();
        assertThat(holds(m("==", "{\"payload\": {\"protocol\": \"icmp\", \"field\": \"code\"}}", "\"admin-prohibited\""),
                Pkt.icmp("1.1.1.1", "2.2.2.2", 3, 13))).isTrue();
    }

    @Test
    void tcpFlagsWithMasks() {
        String masked = "{\"&\": [" + TCP_FLAGS + ", [\"fin\", \"syn\", \"rst\", \"ack\"]]}";
        assertThat(holds(m("==", masked, "\"syn\""), ssh())).isTrue();
        assertThat(holds(m("==", masked, "\"syn\""), ssh().flags(Packet.SYN | Packet.ACK))).isFalse();
        String synAck = "{\"&\": [" + TCP_FLAGS + ", [\"syn\", \"ack\"]]}";
        assertThat(holds(m("==", synAck, "[\"syn\", \"ack\"]"), ssh().flags(Packet.SYN | Packet.ACK))).isTrue();
        assertThat(holds(m("in", TCP_FLAGS, "\"rst\""), ssh())).isFalse();
    }

    @Test
    void ctStateIsABitmask() {
        assertThat(holds(m("in", CT_STATE, "\"invalid\""), ssh().state(CtState.INVALID))).isTrue();
        assertThat(holds(m("in", CT_STATE, "\"invalid\""), ssh().state(CtState.NEW))).isFalse();
        assertThat(holds(m("in", CT_STATE, "[\"new\", \"untracked\"]"), ssh().state(CtState.UNTRACKED))).isTrue();
        assertThat(holds(m("==", CT_STATE, "{\"set\": [\"established\", \"related\"]}"), ssh().state(CtState.RELATED))).isTrue();
        assertThat(holds(m("==", CT_STATE, "{\"set\": [\"established\", \"related\"]}"), ssh().state(CtState.NEW))).isFalse();
        assertThat(holds(m("in", "{\"ct\": {\"key\": \"status\"}}", "\"dnat\""), ssh().dnat())).isTrue();
        assertThat(holds(m("in", "{\"ct\": {\"key\": \"status\"}}", "\"dnat\""), ssh().snat())).isFalse();
        assertThat(holds(m("==", "{\"ct\": {\"key\": \"direction\"}}", "\"reply\""), ssh().state(CtState.ESTABLISHED).reply())).isTrue();
        assertThat(holds(m("==", "{\"ct\": {\"key\": \"ip saddr\", \"dir\": \"original\"}}", "\"10.0.0.1\""),
                ssh().state(CtState.ESTABLISHED).orig("10.0.0.1", "192.168.1.1"))).isTrue();
    }

    @Test
    void marksWithAndWithoutMasks() {
        assertThat(holds(m("==", MARK, "1"), ssh().mark(1))).isTrue();
        assertThat(holds(m("==", "{\"&\": [" + MARK + ", 15]}", "2"), ssh().mark(0x12))).isTrue();
        assertThat(holds(m("==", CT_MARK, "16"), ssh().ctMark(16))).isTrue();
        assertThat(holds(m("==", "{\"&\": [" + CT_MARK + ", 255]}", "16"), ssh().ctMark(0x110))).isTrue();
        // no connection: ct mark reads nothing, so even != does not match (NFT_BREAK)
        assertThat(holds(m("!=", CT_MARK, "16"), ssh().state(CtState.INVALID))).isFalse();
    }

    @Test
    void interfaceNamesWildcardsAndMissingDevices() {
        assertThat(holds(m("!=", IIFNAME, "\"eth*\""), ssh())).isFalse();
        assertThat(holds(m("==", IIFNAME, "\"eth*\""), ssh())).isTrue();
        assertThat(holds(m("==", OIFNAME, "\"eth1\""), ssh())).isTrue();
        // iifname of a locally generated packet is "", iif has nothing to compare
        assertThat(holds(m("!=", IIFNAME, "\"eth0\""), ssh().in(null))).isTrue();
        assertThat(holds(m("!=", "{\"meta\": {\"key\": \"iif\"}}", "\"eth0\""), ssh().in(null))).isFalse();
    }

    @Test
    void fibAddressType() {
        String fib = "{\"fib\": {\"result\": \"type\", \"flags\": [\"daddr\"]}}";
        assertThat(holds(m("==", fib, "\"local\""), ssh().local("192.168.1.1"))).isTrue();
        assertThat(holds(m("==", fib, "\"local\""), ssh())).isFalse();
        assertThat(holds(m("==", fib, "{\"set\": [\"local\", \"broadcast\"]}"), ssh().local("192.168.1.1"))).isTrue();
    }

    @Test
    void ipv6MatchesNeverHoldForIpv4() {
        assertThat(holds(m("==", "{\"meta\": {\"key\": \"nfproto\"}}", "\"ipv6\""), ssh())).isFalse();
        assertThat(holds(m("==", "{\"meta\": {\"key\": \"nfproto\"}}", "\"ipv4\""), ssh())).isTrue();
        assertThat(holds(m("==", "{\"payload\": {\"protocol\": \"ip6\", \"field\": \"saddr\"}}",
                "{\"prefix\": {\"addr\": \"fe80::\", \"len\": 10}}"), ssh())).isFalse();
    }
}
