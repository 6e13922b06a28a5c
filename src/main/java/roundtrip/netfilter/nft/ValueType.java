package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.Ip;
import roundtrip.model.Text;

import java.util.Locale;
import java.util.Map;

/**
 * The data type of what a rule reads (nft's datatypes), which decides how a literal on the right-hand side is
 * read: "10.0.0.1" is an address for {@code ip saddr}, "tcp" a protocol for {@code meta l4proto}, "invalid" a
 * state bit for {@code ct state}. Values are Long (numbers, addresses, bits) or String (names compared as names).
 * The symbol tables are nft's ({@link NftTypes}).
 */
enum ValueType {
    ADDR, IFNAME, PORT, PROTO, NUMBER, CT_STATE, CT_STATUS, CT_DIR, ICMP_TYPE, ICMP_CODE, TCP_FLAGS, PKTTYPE, FIB_TYPE,
    NFPROTO, ETHERTYPE, DSCP, ECN, BOOL, DAY, TEXT,
    /** the device a fib lookup found ("" for none), compared with a name or with exists/missing */
    FIB_DEVICE,
    /** an IPv6 address (ipv6_addr), read and compared as the model's {@link Ip} (prefixes and ranges on its two longs) */
    ADDR6,
    /** ICMPv6 types and codes (icmpv6_type, icmpv6_code): their own symbol tables */
    ICMPV6_TYPE, ICMPV6_CODE,
    /** a value of a header the model's packets never carry: never present */
    IPV6;

    /** A value that no packet of the operand's family can have (an IPv6 address in an ip saddr set of an inet table). */
    static final Object NEVER = new Object() { @Override public String toString() { return "(IPv6)"; } };

    boolean isBitmask() { return this == CT_STATE || this == CT_STATUS || this == TCP_FLAGS; }

    /** What nft's JSON calls symbolically, by the type's symbol table. */
    private Map<String, Long> symbols() {
        return switch (this) {
            case CT_STATE -> NftTypes.CT_STATES;
            case CT_STATUS -> NftTypes.CT_STATUS;
            case CT_DIR -> NftTypes.CT_DIRS;
            case TCP_FLAGS -> NftTypes.TCP_FLAGS;
            case ICMP_TYPE -> NftTypes.ICMP_TYPES;
            case ICMP_CODE -> NftTypes.ICMP_CODES;
            case ICMPV6_TYPE -> NftTypes.ICMPV6_TYPES;
            case ICMPV6_CODE -> NftTypes.ICMPV6_CODES;
            case DSCP -> NftTypes.DSCPS;
            case ECN -> NftTypes.ECNS;
            case DAY -> NftTypes.DAYS;
            case PROTO -> NftTypes.PROTO_NUMBERS;
            case PORT -> NftTypes.SERVICES;
            default -> Map.of();
        };
    }

    /**
     * Reads one literal of this type. A JSON array (`ct state new,untracked`) or {"|": [...]} of flags is their OR;
     * numbers are numbers whatever the type.
     */
    Object literal(JsonNode n) {
        if (n.isArray() || (n.isObject() && n.has("|") && n.size() == 1)) {
            JsonNode parts = n.isArray() ? n : n.get("|");
            if (!isBitmask() && !(n.isObject() && parts.isArray() && parts.size() == 2)) throw new Unsupported("list value " + n + " for a " + word() + " match");
            long bits = 0;
            for (JsonNode e : parts) {
                Object v = literal(e);
                if (!(v instanceof Long b)) throw new Unsupported("value " + e + " in " + n);
                bits |= b;
            }
            return bits;
        }
        if (this == IPV6) return NEVER;
        if (this == FIB_DEVICE) {
            if (n.isBoolean()) return n.booleanValue();
            if (n.isIntegralNumber() && n.longValue() == 0) return false;   // `oif 0`: no device found
            if (n.isTextual() && n.textValue().equals("0")) return false;
            if (n.isTextual()) return n.textValue();
            throw new Unsupported("value " + n + " for a fib lookup (interface indexes are not known)");
        }
        if (this == BOOL) {
            if (!n.isBoolean()) throw new Unsupported("value " + n + " for a fib exists/missing test");
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            if (this == IFNAME || this == PKTTYPE || this == FIB_TYPE || this == NFPROTO || this == ETHERTYPE || this == ADDR6)
                throw new Unsupported("number " + n + " as a " + word());
            return n.longValue() & 0xffffffffL;
        }
        if (!n.isTextual()) throw new Unsupported("value " + n + " for a " + word() + " match");
        String s = n.textValue();
        String lower = s.toLowerCase(Locale.ROOT);
        return switch (this) {
            case ADDR6 -> {
                if (!s.contains(":")) yield NEVER;   // an IPv4 address in an inet set: no IPv6 packet has it
                Ip a = Ip.parseV6OrNull(s);
                if (a == null) throw new Unsupported("address " + s + " (host names and symbolic addresses are not resolved)");
                yield a;
            }
            case ADDR -> {
                if (s.contains(":")) yield NEVER;   // an IPv6 address in an inet set: no IPv4 packet has it
                try {
                    yield Ip.parseV4(s).v4() & 0xffffffffL;
                } catch (IllegalArgumentException e) {
                    throw new Unsupported("address " + s + " (host names and symbolic addresses are not resolved)");
                }
            }
            case IFNAME, TEXT -> s;
            case PKTTYPE, FIB_TYPE, NFPROTO, ETHERTYPE -> lower;
            case DAY -> {
                for (Map.Entry<String, Long> e : NftTypes.DAYS.entrySet())
                    if (e.getKey().equalsIgnoreCase(s) || e.getKey().substring(0, 3).equalsIgnoreCase(s)) yield e.getValue();
                throw new Unsupported("day \"" + s + "\"");
            }
            case CT_DIR -> named(NftTypes.CT_DIRS, lower, s);
            case PORT, PROTO, CT_STATE, CT_STATUS, TCP_FLAGS, ICMP_TYPE, ICMP_CODE, ICMPV6_TYPE, ICMPV6_CODE, DSCP, ECN -> named(symbols(), lower, s);
            default -> {
                if (s.matches("0x[0-9a-fA-F]+")) yield Long.parseLong(s.substring(2), 16);
                if (Text.isAsciiDigits(s)) yield Long.parseLong(s);
                throw new Unsupported("value \"" + s + "\" for a " + word() + " match");
            }
        };
    }

    private Long named(Map<String, Long> names, String lower, String original) {
        Long v = names.get(original);
        if (v == null) v = names.get(lower);
        if (v != null) return v;
        if (Text.isAsciiDigits(lower)) return Long.parseLong(lower);
        if (lower.matches("0x[0-9a-f]+")) return Long.parseLong(lower.substring(2), 16);
        throw new Unsupported(word() + " \"" + original + "\"");
    }

    String word() { return name().toLowerCase(Locale.ROOT).replace('_', ' '); }
}
