package roundtrip.netfilter;

import roundtrip.model.Ip;
import roundtrip.model.Packet;

/**
 * What a REJECT answers, from {@link Verdict#rejectWith}: iptables' and ip6tables' words (nft's reject statements are
 * put in the same words), read into the ICMP or ICMPv6 destination-unreachable code the kernel sends (ipt_REJECT's
 * and ip6t_REJECT's tables), or a TCP reset.
 */
public final class RejectWith {
    private RejectWith() {}

    public static final String TCP_RESET = "tcp-reset";

    /** The word REJECT uses when none was given: ICMP port unreachable in the packet's family. */
    public static String defaultFor(Ip.Family family) {
        return family == Ip.Family.IPV6 ? "icmp6-port-unreachable" : "icmp-port-unreachable";
    }

    /** True when the answer is a TCP reset (for a TCP packet that is not itself a reset). */
    public static boolean isTcpReset(String with) { return TCP_RESET.equals(with); }

    /**
     * The ICMPv6 destination-unreachable code (type {@link Packet#ICMP6_DEST_UNREACH}) of an ip6tables word;
     * port unreachable for null or an unknown word (ip6t_REJECT's default).
     */
    public static int icmpv6Code(String with) {
        if (with == null) return Packet.ICMP6_PORT_UNREACH;
        return switch (with) {
            // nft's icmpx words, and IPv4 words met by an IPv6 packet, as nft_reject_inet maps icmpx per family
            case "icmp6-no-route", "no-route", "net-unreachable", "icmp-net-unreachable" -> Packet.ICMP6_NOROUTE;
            case "icmp6-adm-prohibited", "adm-prohibited", "admin-prohibited", "icmp-admin-prohibited" -> Packet.ICMP6_ADM_PROHIBITED;
            case "icmp6-addr-unreachable", "addr-unreachable", "host-unreachable", "icmp-host-unreachable" -> Packet.ICMP6_ADDR_UNREACH;
            case "icmp6-policy-fail" -> Packet.ICMP6_POLICY_FAIL;
            case "icmp6-reject-route" -> Packet.ICMP6_REJECT_ROUTE;
            default -> Packet.ICMP6_PORT_UNREACH;
        };
    }
}
