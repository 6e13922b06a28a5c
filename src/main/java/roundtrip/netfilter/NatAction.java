package roundtrip.netfilter;

import roundtrip.model.Ip;

/**
 * A NAT decision taken by a rule: SNAT/MASQUERADE rewrite the source, DNAT/REDIRECT the destination.
 * Address range {@code addrFrom..addrTo} (null = keep address, or for MASQUERADE/REDIRECT: chosen by the kernel),
 * port range {@code portFrom..portTo} (0 = keep port).
 */
public record NatAction(Type type, Ip addrFrom, Ip addrTo, int portFrom, int portTo) {
    public enum Type { SNAT, DNAT, MASQUERADE, REDIRECT }

    public boolean isSource() { return type == Type.SNAT || type == Type.MASQUERADE; }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(type.name());
        if (addrFrom != null) {
            sb.append(' ').append(addrFrom);
            if (addrTo != null && !addrTo.equals(addrFrom)) sb.append('-').append(addrTo);
        }
        if (portFrom != 0) {
            sb.append(':').append(portFrom);
            if (portTo != portFrom) sb.append('-').append(portTo);
        }
        return sb.toString();
    }
}
