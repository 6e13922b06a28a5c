package roundtrip.netfilter;

import roundtrip.model.Packet;

/** Header fields the model's packets do not store but imply, shared by the iptables and nft evaluators. */
public final class HeaderFields {
    private HeaderFields() {}

    /**
     * The IPv4 total length (IPv6: payload length plus its header) as Linux sends the model's packets: a SYN or SYN-ACK with its 20 bytes of options (MSS,
     * SACK permitted, timestamps, window scale), other TCP segments with timestamps, UDP and ICMP with their payload,
     * an ICMP error quoting the packet that caused it.
     */
    public static int ipLength(Packet p) {
        int l4 = switch (p.proto) {
            case Packet.TCP -> ((p.tcpFlags & Packet.SYN) != 0 ? 40 : 32) + p.payload;
            case Packet.UDP -> 8 + p.payload;
            case Packet.ICMP -> 8 + (p.inner != null ? Math.min(ipLength(p.inner), 576 - 28) : p.payload);
            // icmp6_send quotes as much of the offending packet as fits in the IPv6 minimum MTU
            case Packet.ICMPV6 -> 8 + (p.inner != null ? Math.min(ipLength(p.inner), 1280 - 48) : p.payload);
            default -> p.payload;
        };
        // an IPv6 header is 40 bytes (no extension headers in the model); -m length and meta length count it too
        return (p.family() == roundtrip.model.Ip.Family.IPV6 ? 40 : 20) + l4;
    }
}
