package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.netfilter.nft.NftTypes.Type;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What each thing a rule can read is called in nft text and in nft's JSON, and its data type (proto.c's header
 * templates, meta.c's and ct.c's keys): `tcp dport` is {"payload": {"protocol": "tcp", "field": "dport"}} of type
 * inet_service. Both the text reader and the comparison of rulesets type values through this one table.
 */
final class NftSelectors {
    private NftSelectors() {}

    /** "protocol field" → type, for every header field nft knows by name */
    static final Map<String, Type> PAYLOAD = new HashMap<>();
    /** text keyword of a header field → its JSON field name where they differ ("param-problem" → "parameter-problem") */
    static final Map<String, String> FIELD_ALIASES = Map.of("icmpv6 param-problem", "parameter-problem");
    static final Map<String, Type> META = new HashMap<>();
    /** meta keys written without "meta" (meta_key_unqualified) */
    static final Set<String> BARE_META = Set.of("mark", "iif", "iifname", "iiftype", "oif", "oifname", "oiftype",
            "skuid", "skgid", "nftrace", "rtclassid", "ibriport", "obriport", "ibrname", "obrname", "pkttype", "cpu",
            "iifgroup", "oifgroup", "cgroup", "time", "day", "hour");
    static final Map<String, String> META_ALIASES = Map.of("ibriport", "ibrname", "obriport", "obrname", "secpath", "ipsec");
    static final Map<String, Type> CT = new HashMap<>();

    static {
        Type i = Type.INTEGER, port = Type.INET_SERVICE, proto = Type.INET_PROTO;
        put("ether", "saddr", Type.ETHER_ADDR, "daddr", Type.ETHER_ADDR, "type", Type.ETHERTYPE);
        put("vlan", "id", i, "cfi", i, "dei", i, "pcp", i, "type", Type.ETHERTYPE);
        put("arp", "htype", i, "ptype", Type.ETHERTYPE, "hlen", i, "plen", i, "operation", Type.ARP_OP,
                "saddr ether", Type.ETHER_ADDR, "daddr ether", Type.ETHER_ADDR, "saddr ip", Type.IPV4_ADDR, "daddr ip", Type.IPV4_ADDR);
        put("ip", "version", i, "hdrlength", i, "dscp", Type.DSCP, "ecn", Type.ECN, "length", i, "id", i, "frag-off", i,
                "ttl", i, "protocol", proto, "checksum", i, "saddr", Type.IPV4_ADDR, "daddr", Type.IPV4_ADDR);
        put("icmp", "type", Type.ICMP_TYPE, "code", Type.ICMP_CODE, "checksum", i, "id", i, "sequence", i,
                "gateway", i, "mtu", i);
        put("igmp", "type", Type.IGMP_TYPE, "checksum", i, "mrt", i, "group", i);
        put("ip6", "version", i, "dscp", Type.DSCP, "ecn", Type.ECN, "flowlabel", i, "length", i, "nexthdr", proto,
                "hoplimit", i, "saddr", Type.IPV6_ADDR, "daddr", Type.IPV6_ADDR);
        put("icmpv6", "type", Type.ICMPV6_TYPE, "code", Type.ICMPV6_CODE, "checksum", i, "parameter-problem", i,
                "mtu", i, "id", i, "sequence", i, "max-delay", i, "taddr", Type.IPV6_ADDR, "daddr", Type.IPV6_ADDR);
        put("ah", "nexthdr", proto, "hdrlength", i, "reserved", i, "spi", i, "sequence", i);
        put("esp", "spi", i, "sequence", i);
        put("comp", "nexthdr", proto, "flags", Type.BITMASK, "cpi", i);
        put("udp", "sport", port, "dport", port, "length", i, "checksum", i);
        put("udplite", "sport", port, "dport", port, "csumcov", i, "checksum", i);
        put("tcp", "sport", port, "dport", port, "sequence", i, "ackseq", i, "doff", i, "reserved", i,
                "flags", Type.TCP_FLAG, "window", i, "checksum", i, "urgptr", i);
        put("dccp", "sport", port, "dport", port, "type", Type.DCCP_PKTTYPE);
        put("sctp", "sport", port, "dport", port, "vtag", i, "checksum", i);
        put("th", "sport", port, "dport", port);
        put("gre", "version", i, "flags", i, "protocol", Type.ETHERTYPE);

        Object[] meta = {"length", i, "protocol", Type.ETHERTYPE, "nfproto", Type.NFPROTO, "l4proto", proto,
                "priority", Type.CLASSID, "mark", Type.MARK, "iif", Type.IFACE_INDEX, "iifname", Type.IFNAME,
                "iiftype", Type.IFACE_TYPE, "oif", Type.IFACE_INDEX, "oifname", Type.IFNAME, "oiftype", Type.IFACE_TYPE,
                "skuid", Type.UID, "skgid", Type.GID, "nftrace", i, "rtclassid", Type.REALM, "ibrname", Type.IFNAME,
                "obrname", Type.IFNAME, "pkttype", Type.PKTTYPE, "cpu", i, "iifgroup", Type.DEVGROUP,
                "oifgroup", Type.DEVGROUP, "cgroup", i, "random", i, "ipsec", Type.BOOLEAN, "iifkind", Type.IFNAME,
                "oifkind", Type.IFNAME, "ibrpvid", i, "ibrvproto", Type.ETHERTYPE, "time", Type.DATE, "day", Type.DAY,
                "hour", Type.HOUR, "secmark", i, "sdif", Type.IFACE_INDEX, "sdifname", Type.IFNAME, "broute", i};
        for (int k = 0; k < meta.length; k += 2) META.put((String) meta[k], (Type) meta[k + 1]);

        Object[] ct = {"state", Type.CT_STATE, "direction", Type.CT_DIR, "status", Type.CT_STATUS, "mark", Type.MARK,
                "expiration", Type.TIME, "helper", Type.STRING, "l3proto", Type.NFPROTO, "protocol", proto,
                "proto-src", port, "proto-dst", port, "label", Type.CT_LABEL, "bytes", i, "packets", i, "avgpkt", i,
                "zone", i, "event", Type.CT_EVENT, "secmark", i, "id", i, "ip saddr", Type.IPV4_ADDR,
                "ip daddr", Type.IPV4_ADDR, "ip6 saddr", Type.IPV6_ADDR, "ip6 daddr", Type.IPV6_ADDR};
        for (int k = 0; k < ct.length; k += 2) CT.put((String) ct[k], (Type) ct[k + 1]);
    }

    private static void put(String protocol, Object... fields) {
        for (int k = 0; k < fields.length; k += 2) PAYLOAD.put(protocol + " " + fields[k], (Type) fields[k + 1]);
    }

    /** Header protocols a payload expression may name. */
    static boolean isProtocol(String word) {
        return switch (word) {
            case "ether", "vlan", "arp", "ip", "icmp", "igmp", "ip6", "icmpv6", "ah", "esp", "comp", "udp", "udplite",
                 "tcp", "dccp", "sctp", "th", "gre" -> true;
            default -> false;
        };
    }

    /**
     * The data type of what {@code expr} (nft's JSON of a selector) reads, in a table of {@code family}; null for a
     * concatenation, UNKNOWN when nft's JSON does not tell (raw payload, a map's result).
     */
    static Type typeOf(JsonNode expr, String family) {
        if (expr == null || !expr.isObject() || expr.size() != 1) return Type.UNKNOWN;
        String k = expr.fieldNames().next();
        JsonNode v = expr.get(k);
        switch (k) {
            case "payload": {
                if (!v.has("protocol")) return Type.UNKNOWN;
                Type t = PAYLOAD.get(v.path("protocol").asText() + " " + v.path("field").asText());
                return t == null ? Type.UNKNOWN : t;
            }
            case "meta": {
                Type t = META.get(v.path("key").asText());
                return t == null ? Type.UNKNOWN : t;
            }
            case "ct": {
                String key = v.path("key").asText();
                if (key.equals("saddr") || key.equals("daddr"))
                    return family.equals("ip6") ? Type.IPV6_ADDR : family.equals("ip") ? Type.IPV4_ADDR : Type.UNKNOWN;
                Type t = CT.get(key);
                return t == null ? Type.UNKNOWN : t;
            }
            case "fib":
                return switch (v.path("result").asText()) {
                    case "oif" -> Type.IFACE_INDEX;
                    case "oifname" -> Type.IFNAME;
                    case "type" -> Type.FIB_ADDRTYPE;
                    default -> Type.BOOLEAN;
                };
            case "rt":
                return switch (v.path("key").asText()) {
                    case "nexthop" -> v.path("family").asText(family).equals("ip6") ? Type.IPV6_ADDR : Type.IPV4_ADDR;
                    case "classid" -> Type.REALM;
                    case "ipsec" -> Type.BOOLEAN;
                    default -> Type.INTEGER;
                };
            case "socket":
                return switch (v.path("key").asText()) {
                    case "mark" -> Type.MARK;
                    case "cgroupv2" -> Type.STRING;
                    default -> Type.INTEGER;
                };
            case "osf": return Type.STRING;
            case "tcp option", "exthdr", "ip option", "sctp chunk":
                if (v.path("field").asText().equals("subtype")) return Type.MPTCP_SUBTYPE;
                // the IPv6 extension headers' next header is a protocol (exthdr.c: inet_protocol_type)
                if (k.equals("exthdr") && v.path("field").asText().equals("nexthdr")) return Type.INET_PROTO;
                return v.has("field") ? (v.path("field").asText().contains("addr") ? Type.IPV6_ADDR : Type.INTEGER) : Type.BOOLEAN;
            case "numgen", "jhash", "symhash": return Type.INTEGER;
            case "ipsec":
                return switch (v.path("key").asText()) {
                    case "saddr", "daddr" -> v.path("family").asText().equals("ip6") ? Type.IPV6_ADDR : Type.IPV4_ADDR;
                    default -> Type.INTEGER;
                };
            case "dccp option": return Type.BOOLEAN;
            case "concat": return null;
            case "&", "|", "^", "<<", ">>": return v.isArray() && v.size() == 2 ? typeOf(v.get(0), family) : Type.UNKNOWN;
            default: return Type.UNKNOWN;
        }
    }
}
