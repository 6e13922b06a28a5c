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

    public boolean isIcmpError() {
        return proto == ICMP && (icmpType == ICMP_DEST_UNREACH || icmpType == ICMP_TIME_EXCEEDED || icmpType == 4
                || icmpType == 5 || icmpType == 12);
    }

    public boolean isIcmpEchoLike() {
        return proto == ICMP && (icmpType == ICMP_ECHO || icmpType == ICMP_ECHO_REPLY || icmpType == 13 || icmpType == 14);
    }

    public boolean hasPorts() { return proto == TCP || proto == UDP; }

    public static String protoName(int proto) {
        return switch (proto) {
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            default -> Integer.toString(proto);
        };
    }

    public static int protoNumber(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "icmp", "1" -> ICMP;
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
            default -> sb.append("proto ").append(proto);
        }
        return sb.toString();
    }

    /** An address not chosen yet shows as the unspecified one, as in a packet socket before routing. */
    private String shown(Ip a) { return (a != null ? a : Ip.any(family())).toString(); }

    private String flagText() {
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

    @Override public String toString() { return describe(); }
}
