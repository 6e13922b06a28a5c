package roundtrip.model;

/**
 * An IP packet as the simulator sees it: addresses (their family is the packet's), L4 header fields, TTL and the
 * skb mark. Mutable so a host
 * can rewrite it (NAT, mark, TTL); copy before handing it on. For ICMP echo, {@code sport} and {@code dport}
 * both carry the echo identifier, which is what conntrack keys on. ICMP errors carry the offending packet
 * in {@code inner}.
 */
public final class Packet {
    public static final int ICMP = 1, TCP = 6, UDP = 17;
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
    public static final int ICMP_ECHO_REPLY = 0, ICMP_DEST_UNREACH = 3, ICMP_ECHO = 8, ICMP_TIME_EXCEEDED = 11;
    /** ICMPv6 (RFC 4443, "ipv6-icmp" in /etc/protocols) and its types; neighbour discovery is ICMPv6 too (RFC 4861). */
    public static final int ICMPV6 = 58;
    public static final int ICMP6_DEST_UNREACH = 1, ICMP6_PACKET_TOO_BIG = 2, ICMP6_TIME_EXCEEDED = 3, ICMP6_PARAM_PROB = 4,
            ICMP6_ECHO_REQUEST = 128, ICMP6_ECHO_REPLY = 129, ND_ROUTER_SOLICIT = 133, ND_ROUTER_ADVERT = 134,
            ND_NEIGHBOR_SOLICIT = 135, ND_NEIGHBOR_ADVERT = 136;
    /** ICMPv6 destination-unreachable codes (RFC 4443 3.1; the kernel's ICMPV6_NOROUTE ... ICMPV6_REJECT_ROUTE). */
    public static final int ICMP6_NOROUTE = 0, ICMP6_ADM_PROHIBITED = 1, ICMP6_NOT_NEIGHBOUR = 2, ICMP6_ADDR_UNREACH = 3,
            ICMP6_PORT_UNREACH = 4, ICMP6_POLICY_FAIL = 5, ICMP6_REJECT_ROUTE = 6;

    /** null until the kernel has chosen a source address */
    public Ip src;
    public Ip dst;
    public int proto;
    public int sport;
    public int dport;
    public int tcpFlags;
    public int icmpType;
    public int icmpCode;
    public int ttl = 64;
    public int tos;
    public long mark;
    /** Bytes of payload: 0 for a bare SYN, >0 for the data phase. */
    public int payload;
    /** For ICMP errors: the header of the packet that caused the error. */
    public Packet inner;
    /** For a tunnel's outer packet: the packet it carries (encrypted, so no rule or route can see it). */
    public Packet encapsulated;
    /** For a tunnel's outer packet: who sent it (e.g. the sending WireGuard interface's public key). */
    public String tunnelSender;
    /** For a tunnel's outer packet: the tunnel (host:device) that made it, to recognise it routed back into itself. */
    public String viaTunnel;
    /**
     * For a tunnel's outer packet: it carries no packet, only says the sender is there (a WireGuard keepalive, a
     * data message with nothing inside); {@link #encapsulated} is then an empty placeholder.
     */
    public boolean keepalive;

    public Packet copy() {
        Packet p = new Packet();
        p.src = src; p.dst = dst; p.proto = proto; p.sport = sport; p.dport = dport; p.tcpFlags = tcpFlags;
        p.icmpType = icmpType; p.icmpCode = icmpCode; p.ttl = ttl; p.tos = tos; p.mark = mark; p.payload = payload;
        p.inner = inner == null ? null : inner.copy();
        p.encapsulated = encapsulated == null ? null : encapsulated.copy();
        p.tunnelSender = tunnelSender;
        p.viaTunnel = viaTunnel;
        p.keepalive = keepalive;
        return p;
    }

    /**
     * Same addresses and ports as {@code o}, the embedded packet's destination side included (what NAT rewrites and
     * tcpdump shows): false when a NAT changed the packet.
     */
    public boolean sameAddressing(Packet o) {
        if (!java.util.Objects.equals(src, o.src) || !java.util.Objects.equals(dst, o.dst) || sport != o.sport || dport != o.dport) return false;
        if (inner == null || o.inner == null) return inner == o.inner;
        return java.util.Objects.equals(inner.dst, o.inner.dst) && inner.dport == o.inner.dport;
    }

    /** The packet's family, from its destination (set on every packet before it is sent). */
    public Ip.Family family() { return dst != null ? dst.family() : src != null ? src.family() : Ip.Family.IPV4; }

    /** ICMP of either family (ICMP for IPv4, ICMPv6 for IPv6). */
    public boolean isIcmp() { return proto == ICMP || proto == ICMPV6; }

    /** An ICMP error, which carries the offending packet: for ICMPv6 every type below 128 (RFC 4443 2.1). */
    public boolean isIcmpError() {
        if (proto == ICMPV6) return icmpType < 128;
        return proto == ICMP && (icmpType == ICMP_DEST_UNREACH || icmpType == ICMP_TIME_EXCEEDED || icmpType == 4
                || icmpType == 5 || icmpType == 12);
    }

    /** A query/answer pair conntrack tracks by id (echo, timestamp; ICMPv6 echo, nf_conntrack_proto_icmpv6's list). */
    public boolean isIcmpEchoLike() {
        if (proto == ICMPV6) return icmpType == ICMP6_ECHO_REQUEST || icmpType == ICMP6_ECHO_REPLY;
        return proto == ICMP && (icmpType == ICMP_ECHO || icmpType == ICMP_ECHO_REPLY || icmpType == 13 || icmpType == 14);
    }

    /** An echo request of either family. */
    public boolean isEchoRequest() {
        return proto == ICMP ? icmpType == ICMP_ECHO : proto == ICMPV6 && icmpType == ICMP6_ECHO_REQUEST;
    }

    /** An echo reply of either family. */
    public boolean isEchoReply() {
        return proto == ICMP ? icmpType == ICMP_ECHO_REPLY : proto == ICMPV6 && icmpType == ICMP6_ECHO_REPLY;
    }

    /** The ICMP protocol number of a family: 1, or 58 for ICMPv6. */
    public static int icmpProto(Ip.Family f) { return f == Ip.Family.IPV6 ? ICMPV6 : ICMP; }

    public static int echoRequestType(Ip.Family f) { return f == Ip.Family.IPV6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO; }

    public static int echoReplyType(Ip.Family f) { return f == Ip.Family.IPV6 ? ICMP6_ECHO_REPLY : ICMP_ECHO_REPLY; }

    /** The type of a time-exceeded error in a family (ICMP 11, ICMPv6 3). */
    public static int timeExceededType(Ip.Family f) { return f == Ip.Family.IPV6 ? ICMP6_TIME_EXCEEDED : ICMP_TIME_EXCEEDED; }

    public boolean hasPorts() { return proto == TCP || proto == UDP; }

    public static String protoName(int proto) {
        return switch (proto) {
            case ICMP -> "icmp";
            case ICMPV6 -> "ipv6-icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            default -> Integer.toString(proto);
        };
    }

    public static int protoNumber(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "icmp", "1" -> ICMP;
            case "icmpv6", "ipv6-icmp", "icmp6", "58" -> ICMPV6;
            case "tcp", "6" -> TCP;
            case "udp", "17" -> UDP;
            default -> throw new IllegalArgumentException("unknown protocol: " + name);
        };
    }

    /** One line as tcpdump -n prints it ("IP6 " for IPv6; ports after a dot in both), without the interface part. */
    public String describe() {
        StringBuilder sb = new StringBuilder(family() == Ip.Family.IPV6 ? "IP6 " : "IP ");
        if (hasPorts()) {
            sb.append(shown(src)).append('.').append(sport).append(" > ").append(shown(dst)).append('.').append(dport);
        } else {
            sb.append(shown(src)).append(" > ").append(shown(dst));
        }
        sb.append(": ");
        switch (proto) {
            case TCP -> {
                sb.append("Flags [").append(flagText()).append("]");
                if (payload > 0) sb.append(", length ").append(payload);
            }
            case UDP -> sb.append("UDP, length ").append(payload);
            case ICMP -> sb.append(icmpText());
            case ICMPV6 -> sb.append(icmp6Text());
            default -> sb.append("proto ").append(proto);
        }
        return sb.toString();
    }

    /** An address not chosen yet shows as the unspecified one, as in a packet socket before routing. */
    private String shown(Ip a) { return (a != null ? a : Ip.any(family())).toString(); }

    /** The TCP flags as tcpdump writes them between "Flags [" and "]" (S, S., P., R, F., ...). */
    public String flagText() {
        StringBuilder f = new StringBuilder();
        if ((tcpFlags & SYN) != 0) f.append('S');
        if ((tcpFlags & FIN) != 0) f.append('F');
        if ((tcpFlags & RST) != 0) f.append('R');
        if ((tcpFlags & PSH) != 0) f.append('P');
        if ((tcpFlags & ACK) != 0) f.append('.');
        return f.toString();
    }

    private String icmpText() {
        return switch (icmpType) {
            case ICMP_ECHO -> "ICMP echo request, id " + sport;
            case ICMP_ECHO_REPLY -> "ICMP echo reply, id " + sport;
            case ICMP_TIME_EXCEEDED -> "ICMP time exceeded in-transit";
            case ICMP_DEST_UNREACH -> "ICMP " + (inner != null ? inner.shown(inner.dst) + " " : "") + switch (icmpCode) {
                case 0 -> "net unreachable";
                case 1 -> "host unreachable";
                case 3 -> inner != null ? Packet.protoName(inner.proto) + " port " + inner.dport + " unreachable" : "port unreachable";
                case 9, 10 -> "net/host prohibited";
                case 13 -> "administratively prohibited";
                default -> "unreachable code " + icmpCode;
            };
            default -> "ICMP type " + icmpType;
        };
    }

    /** As tcpdump prints ICMPv6 (print-icmp6.c): "ICMP6, echo request, id 7", "ICMP6, destination unreachable, ...". */
    private String icmp6Text() {
        return "ICMP6, " + switch (icmpType) {
            case ICMP6_ECHO_REQUEST -> "echo request, id " + sport;
            case ICMP6_ECHO_REPLY -> "echo reply, id " + sport;
            case ICMP6_TIME_EXCEEDED -> "time exceeded in-transit";
            case ICMP6_PACKET_TOO_BIG -> "packet too big";
            case ND_NEIGHBOR_SOLICIT -> "neighbor solicitation";
            case ND_NEIGHBOR_ADVERT -> "neighbor advertisement";
            case ICMP6_DEST_UNREACH -> "destination unreachable, " + switch (icmpCode) {
                case ICMP6_NOROUTE -> "unreachable route";
                case ICMP6_ADM_PROHIBITED -> "unreachable prohibited";
                case ICMP6_ADDR_UNREACH -> "unreachable address";
                case ICMP6_PORT_UNREACH -> "unreachable port";
                case ICMP6_POLICY_FAIL -> "unreachable policy";
                case ICMP6_REJECT_ROUTE -> "unreachable reject-route";
                default -> "unreachable code " + icmpCode;
            } + (inner != null ? " " + inner.shown(inner.dst) + (icmpCode == ICMP6_PORT_UNREACH && inner.hasPorts()
                    ? " " + protoName(inner.proto) + " port " + inner.dport : "") : "");
            default -> "type " + icmpType;
        };
    }

    @Override public String toString() { return describe(); }
}
