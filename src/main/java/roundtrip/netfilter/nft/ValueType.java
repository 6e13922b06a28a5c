package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.Ip4;

import java.util.Locale;
import java.util.Map;

/**
 * The data type of what a rule reads (nft's datatypes), which decides how a literal on the right-hand side is
 * read: "10.0.0.1" is an address for {@code ip saddr}, "tcp" a protocol for {@code meta l4proto}, "invalid" a
 * state bit for {@code ct state}. Values are Long (numbers, addresses, bits) or String (names compared as names).
 */
enum ValueType {
    ADDR, IFNAME, PORT, PROTO, NUMBER, CT_STATE, CT_STATUS, CT_DIR, ICMP_TYPE, ICMP_CODE, TCP_FLAGS, PKTTYPE, FIB_TYPE, NFPROTO,
    ETHERTYPE, DSCP, BOOL,
    /** an IPv6-only value: never present in the IPv4 packets the model simulates */
    IPV6;

    /** A value that no IPv4 packet can have (an IPv6 address in a set of an inet table). */
    static final Object NEVER = new Object() { @Override public String toString() { return "(IPv6)"; } };

    boolean isBitmask() { return this == CT_STATE || this == CT_STATUS || this == TCP_FLAGS; }

    static final Map<String, Long> CT_STATES = Map.of("invalid", 1L, "established", 2L, "related", 4L, "new", 8L,
            "untracked", 64L);
    /** only the NAT bits: the model does not follow expected/seen-reply/assured/confirmed/dying */
    static final Map<String, Long> CT_STATUS_BITS = Map.of("snat", 16L, "dnat", 32L);
    static final Map<String, Long> TCP_FLAG_BITS = Map.of("fin", 1L, "syn", 2L, "rst", 4L, "psh", 8L, "ack", 16L,
            "urg", 32L, "ecn", 64L, "cwr", 128L);
    static final Map<String, Long> PROTOCOLS = Map.ofEntries(Map.entry("icmp", 1L), Map.entry("igmp", 2L),
            Map.entry("ipip", 4L), Map.entry("tcp", 6L), Map.entry("udp", 17L), Map.entry("ipv6", 41L),
            Map.entry("gre", 47L), Map.entry("esp", 50L), Map.entry("ah", 51L), Map.entry("ipv6-icmp", 58L),
            Map.entry("icmpv6", 58L), Map.entry("sctp", 132L), Map.entry("udplite", 136L), Map.entry("dccp", 33L),
            Map.entry("ospf", 89L), Map.entry("pim", 103L), Map.entry("vrrp", 112L), Map.entry("l2tp", 115L));
    static final Map<String, Long> ICMP_TYPES = Map.ofEntries(Map.entry("echo-reply", 0L),
            Map.entry("destination-unreachable", 3L), Map.entry("source-quench", 4L), Map.entry("redirect", 5L),
            Map.entry("echo-request", 8L), Map.entry("router-advertisement", 9L), Map.entry("router-solicitation", 10L),
            Map.entry("time-exceeded", 11L), Map.entry("parameter-problem", 12L), Map.entry("timestamp-request", 13L),
            Map.entry("timestamp-reply", 14L), Map.entry("info-request", 15L), Map.entry("info-reply", 16L),
            Map.entry("address-mask-request", 17L), Map.entry("address-mask-reply", 18L));
    /** nft's icmp_code names (`nft describe icmp code`), as nft -j lists the codes of an icmp type . icmp code set */
    static final Map<String, Long> ICMP_CODES = Map.of("net-unreachable", 0L, "host-unreachable", 1L, "prot-unreachable", 2L,
            "port-unreachable", 3L, "frag-needed", 4L, "net-prohibited", 9L, "host-prohibited", 10L, "admin-prohibited", 13L);
    static final Map<String, Long> SERVICES = Map.ofEntries(Map.entry("ftp", 21L), Map.entry("ssh", 22L),
            Map.entry("telnet", 23L), Map.entry("smtp", 25L), Map.entry("domain", 53L), Map.entry("bootps", 67L),
            Map.entry("bootpc", 68L), Map.entry("http", 80L), Map.entry("ntp", 123L), Map.entry("https", 443L),
            Map.entry("isakmp", 500L), Map.entry("openvpn", 1194L), Map.entry("ipsec-nat-t", 4500L));
    static final Map<String, Long> DSCP_CLASSES = Map.ofEntries(Map.entry("cs0", 0L), Map.entry("cs1", 8L),
            Map.entry("cs2", 16L), Map.entry("cs3", 24L), Map.entry("cs4", 32L), Map.entry("cs5", 40L),
            Map.entry("cs6", 48L), Map.entry("cs7", 56L), Map.entry("ef", 46L), Map.entry("af11", 10L),
            Map.entry("af12", 12L), Map.entry("af13", 14L), Map.entry("af21", 18L), Map.entry("af22", 20L),
            Map.entry("af23", 22L), Map.entry("af31", 26L), Map.entry("af32", 28L), Map.entry("af33", 30L),
            Map.entry("af41", 34L), Map.entry("af42", 36L), Map.entry("af43", 38L));

    /** Reads one literal of this type; a JSON array is a bit list (`ct state new,untracked`) ORed together. */
    Object literal(JsonNode n) {
        if (n.isArray()) {
            if (!isBitmask()) throw new Unsupported("list value " + n + " for a " + word() + " match");
            long bits = 0;
            for (JsonNode e : n) bits |= (Long) literal(e);
            return bits;
        }
        if (this == IPV6) return NEVER;
        if (this == BOOL) {
            if (!n.isBoolean()) throw new Unsupported("value " + n + " for a fib exists/missing test");
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            if (this == IFNAME || this == PKTTYPE || this == FIB_TYPE || this == NFPROTO || this == ETHERTYPE)
                throw new Unsupported("number " + n + " as a " + word());
            return n.longValue() & 0xffffffffL;
        }
        if (!n.isTextual()) throw new Unsupported("value " + n + " for a " + word() + " match");
        String s = n.textValue();
        String lower = s.toLowerCase(Locale.ROOT);
        return switch (this) {
            case ADDR -> {
                if (s.contains(":")) yield NEVER;   // an IPv6 address in an inet set: no IPv4 packet has it
                try {
                    yield Ip4.parse(s) & 0xffffffffL;
                } catch (IllegalArgumentException e) {
                    throw new Unsupported("address " + s + " (host names and symbolic addresses are not resolved)");
                }
            }
            case IFNAME, PKTTYPE, FIB_TYPE, NFPROTO, ETHERTYPE -> this == IFNAME ? s : lower;
            case PORT -> named(SERVICES, lower, s);
            case PROTO -> named(PROTOCOLS, lower, s);
            case ICMP_TYPE -> named(ICMP_TYPES, lower, s);
            case ICMP_CODE -> named(ICMP_CODES, lower, s);
            case CT_STATE -> named(CT_STATES, lower, s);
            case CT_STATUS -> named(CT_STATUS_BITS, lower, s);
            case TCP_FLAGS -> named(TCP_FLAG_BITS, lower, s);
            case DSCP -> named(DSCP_CLASSES, lower, s);
            case CT_DIR -> switch (lower) {
                case "original" -> 0L;
                case "reply" -> 1L;
                default -> throw new Unsupported("ct direction " + s);
            };
            default -> {
                if (s.matches("0x[0-9a-fA-F]+")) yield Long.parseLong(s.substring(2), 16);
                if (s.matches("[0-9]+")) yield Long.parseLong(s);
                throw new Unsupported("value \"" + s + "\" for a " + word() + " match");
            }
        };
    }

    private Long named(Map<String, Long> names, String lower, String original) {
        Long v = names.get(lower);
        if (v != null) return v;
        if (lower.matches("[0-9]+")) return Long.parseLong(lower);
        throw new Unsupported(word() + " \"" + original + "\"");
    }

    String word() { return name().toLowerCase(Locale.ROOT).replace('_', ' '); }
}
