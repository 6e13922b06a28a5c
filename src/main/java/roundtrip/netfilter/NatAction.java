package roundtrip.netfilter;

import roundtrip.model.Ip;

/**
 * A NAT decision taken by a rule: SNAT/MASQUERADE rewrite the source, DNAT/REDIRECT the destination.
 * Address range {@code addrFrom..addrTo} (null = keep address, or for MASQUERADE/REDIRECT: chosen by the kernel),
 * port range {@code portFrom..portTo} (0 = keep port).
 * {@code portBase} (iptables' `--to-destination A:1000-2000/1000`, NF_NAT_RANGE_PROTO_OFFSET) shifts the port: the new
 * port is portFrom + (old - portBase) modulo the range's size; -1 when not given. {@code netmapLen} (NETMAP,
 * NF_NAT_RANGE_NETMAP) keeps the host part of the old address below a prefix of that length and takes the network part
 * from addrFrom; -1 when not a NETMAP.
 */
public record NatAction(Type type, Ip addrFrom, Ip addrTo, int portFrom, int portTo, int portBase, int netmapLen) {
    public enum Type { SNAT, DNAT, MASQUERADE, REDIRECT }

    public NatAction(Type type, Ip addrFrom, Ip addrTo, int portFrom, int portTo) {
        this(type, addrFrom, addrTo, portFrom, portTo, -1, -1);
    }

    public boolean isSource() { return type == Type.SNAT || type == Type.MASQUERADE; }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(netmapLen >= 0 ? (isSource() ? "NETMAP source" : "NETMAP destination") : type.name());
        if (addrFrom != null) {
            sb.append(' ').append(addrFrom);
            if (netmapLen >= 0) sb.append('/').append(netmapLen);
            else if (addrTo != null && !addrTo.equals(addrFrom)) sb.append('-').append(addrTo);
        }
        if (portFrom != 0) {
            sb.append(':').append(portFrom);
            if (portTo != portFrom) sb.append('-').append(portTo);
            if (portBase >= 0) sb.append('/').append(portBase);
        }
        return sb.toString();
    }
}
