package roundtrip.netfilter.nft;

import roundtrip.model.Ip;
import roundtrip.model.Text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * nft's data types (datatype.c, proto.c, ct.c, meta.c): how a value written in nft text is read for the thing it
 * is compared with or assigned to, and how {@code nft -j list ruleset} then prints it. Symbolic values print by
 * name ("echo-request" for `icmp type 8`), services by number (`tcp dport ssh` is 22), protocols by the name in
 * the host's /etc/protocols (netbase's names: `meta l4proto icmpv6` lists as "ipv6-icmp"), addresses as text.
 */
final class NftTypes {
    private NftTypes() {}

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    enum Kind { IPV4, IPV6, ETHER, INTEGER, STRING, SYMBOLIC, BITMASK, PROTO, SERVICE, TIME, BOOLEAN, HOUR, DATE, VERDICT, ANY }

    /** One data type: its nft name, how its values are written, and its symbols (name → value). */
    enum Type {
        IPV4_ADDR("ipv4_addr", Kind.IPV4), IPV6_ADDR("ipv6_addr", Kind.IPV6), ETHER_ADDR("ether_addr", Kind.ETHER),
        INET_PROTO("inet_proto", Kind.PROTO), INET_SERVICE("inet_service", Kind.SERVICE),
        MARK("mark", Kind.INTEGER), INTEGER("integer", Kind.INTEGER), STRING("string", Kind.STRING),
        IFNAME("ifname", Kind.STRING), IFACE_INDEX("iface_index", Kind.STRING),
        CT_STATE("ct_state", Kind.BITMASK), CT_STATUS("ct_status", Kind.BITMASK), CT_EVENT("ct_event", Kind.BITMASK),
        CT_DIR("ct_dir", Kind.SYMBOLIC), CT_LABEL("ct_label", Kind.BITMASK), MPTCP_SUBTYPE("mptcp_subtype", Kind.SYMBOLIC),
        ICMP_TYPE("icmp_type", Kind.SYMBOLIC), ICMP_CODE("icmp_code", Kind.SYMBOLIC),
        ICMPV6_TYPE("icmpv6_type", Kind.SYMBOLIC), ICMPV6_CODE("icmpv6_code", Kind.SYMBOLIC),
        ICMPX_CODE("icmpx_code", Kind.SYMBOLIC), IGMP_TYPE("igmp_type", Kind.SYMBOLIC),
        TCP_FLAG("tcp_flag", Kind.BITMASK), DSCP("dscp", Kind.SYMBOLIC), ECN("ecn", Kind.SYMBOLIC),
        PKTTYPE("pkt_type", Kind.SYMBOLIC), NFPROTO("nf_proto", Kind.SYMBOLIC), ETHERTYPE("ether_type", Kind.SYMBOLIC),
        FIB_ADDRTYPE("fib_addrtype", Kind.SYMBOLIC), ARP_OP("arp_op", Kind.SYMBOLIC), IFACE_TYPE("iface_type", Kind.SYMBOLIC),
        DCCP_PKTTYPE("dccp_pkttype", Kind.SYMBOLIC), DAY("day", Kind.SYMBOLIC),
        UID("uid", Kind.INTEGER), GID("gid", Kind.INTEGER), TIME("time", Kind.TIME), HOUR("hour", Kind.HOUR),
        DATE("date", Kind.DATE), BOOLEAN("boolean", Kind.BOOLEAN), VERDICT("verdict", Kind.VERDICT),
        CLASSID("classid", Kind.ANY), REALM("realm", Kind.ANY), DEVGROUP("devgroup", Kind.ANY),
        BITMASK("bitmask", Kind.INTEGER), COUNTER("counter", Kind.STRING), QUOTA("quota", Kind.STRING),
        LIMIT("limit", Kind.STRING), CT_HELPER("ct_helper", Kind.STRING),
        /** what nothing tells the type of (raw payload, a number in a hash): numbers and names as written */
        UNKNOWN("", Kind.ANY);

        final String nftName;
        final Kind kind;

        Type(String nftName, Kind kind) {
            this.nftName = nftName;
            this.kind = kind;
        }

        boolean isBitmask() { return kind == Kind.BITMASK; }

        String word() { return nftName.isEmpty() ? "value" : nftName.replace('_', ' '); }
    }

    private static final Map<String, Type> BY_NAME = new HashMap<>();
    static {
        for (Type t : Type.values()) if (!t.nftName.isEmpty()) BY_NAME.put(t.nftName, t);
        BY_NAME.put("ipv4_addr", Type.IPV4_ADDR);
        BY_NAME.put("cgroupsv2", Type.STRING);
    }

    /** The type of a set or map declared with {@code type NAME}; null when nft has no such type. */
    static Type byName(String name) { return BY_NAME.get(name); }

    // ---------------------------------------------------------------------------------------------- symbols

    private static Map<String, Long> table(Object... pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        return m;
    }

    static final Map<String, Long> CT_STATES = table("invalid", 1, "established", 2, "related", 4, "new", 8, "untracked", 64);
    static final Map<String, Long> CT_STATUS = table("expected", 1, "seen-reply", 2, "assured", 4, "confirmed", 8,
            "snat", 16, "dnat", 32, "seq-adjust", 64, "snat-done", 128, "dnat-done", 256, "dying", 512,
            "fixed-timeout", 1024, "helper", 8192, "offload", 16384, "hw-offload", 32768);
    static final Map<String, Long> CT_EVENTS = table("new", 1, "related", 2, "destroy", 4, "reply", 8, "assured", 16,
            "protoinfo", 32, "helper", 64, "mark", 128, "seqadj", 256, "secmark", 512, "label", 1024);
    static final Map<String, Long> CT_DIRS = table("original", 0, "reply", 1);
    static final Map<String, Long> TCP_FLAGS = table("fin", 1, "syn", 2, "rst", 4, "psh", 8, "ack", 16, "urg", 32,
            "ecn", 64, "cwr", 128);
    static final Map<String, Long> ICMP_TYPES = table("echo-reply", 0, "destination-unreachable", 3,
            "source-quench", 4, "redirect", 5, "echo-request", 8, "router-advertisement", 9, "router-solicitation", 10,
            "time-exceeded", 11, "parameter-problem", 12, "timestamp-request", 13, "timestamp-reply", 14,
            "info-request", 15, "info-reply", 16, "address-mask-request", 17, "address-mask-reply", 18);
    static final Map<String, Long> ICMP_CODES = table("net-unreachable", 0, "host-unreachable", 1,
            "prot-unreachable", 2, "port-unreachable", 3, "frag-needed", 4, "net-prohibited", 9, "host-prohibited", 10,
            "admin-prohibited", 13);
    static final Map<String, Long> ICMPV6_TYPES = table("destination-unreachable", 1, "packet-too-big", 2,
            "time-exceeded", 3, "parameter-problem", 4, "echo-request", 128, "echo-reply", 129, "mld-listener-query", 130,
            "mld-listener-report", 131, "mld-listener-done", 132, "mld-listener-reduction", 132, "nd-router-solicit", 133,
            "nd-router-advert", 134, "nd-neighbor-solicit", 135, "nd-neighbor-advert", 136, "nd-redirect", 137,
            "router-renumbering", 138, "ind-neighbor-solicit", 141, "ind-neighbor-advert", 142, "mld2-listener-report", 143);
    static final Map<String, Long> ICMPV6_CODES = table("no-route", 0, "admin-prohibited", 1, "addr-unreachable", 3,
            "port-unreachable", 4, "policy-fail", 5, "reject-route", 6);
    static final Map<String, Long> ICMPX_CODES = table("port-unreachable", 1, "admin-prohibited", 3, "no-route", 0,
            "host-unreachable", 2);
    static final Map<String, Long> IGMP_TYPES = table("membership-query", 0x11, "membership-report-v1", 0x12,
            "membership-report-v2", 0x16, "membership-report-v3", 0x22, "leave-group", 0x17);
    static final Map<String, Long> DSCPS = table("cs0", 0, "cs1", 8, "cs2", 16, "cs3", 24, "cs4", 32, "cs5", 40,
            "cs6", 48, "cs7", 56, "df", 0, "be", 0, "lephb", 1, "af11", 10, "af12", 12, "af13", 14, "af21", 18, "af22", 20,
            "af23", 22, "af31", 26, "af32", 28, "af33", 30, "af41", 34, "af42", 36, "af43", 38, "va", 44, "ef", 46);
    static final Map<String, Long> ECNS = table("not-ect", 0, "ect1", 1, "ect0", 2, "ce", 3);
    static final Map<String, Long> PKTTYPES = table("host", 0, "unicast", 0, "broadcast", 1, "multicast", 2, "other", 3);
    static final Map<String, Long> NFPROTOS = table("ipv4", 2, "ipv6", 10);
    static final Map<String, Long> ETHERTYPES = table("ip", 0x0800, "arp", 0x0806, "ip6", 0x86dd, "8021q", 0x8100,
            "8021ad", 0x88a8, "vlan", 0x8100);
    static final Map<String, Long> FIB_TYPES = table("unspec", 0, "unicast", 1, "local", 2, "broadcast", 3,
            "anycast", 4, "multicast", 5, "blackhole", 6, "unreachable", 7, "prohibit", 8);
    static final Map<String, Long> ARP_OPS = table("request", 1, "reply", 2, "rrequest", 3, "rreply", 4,
            "inrequest", 8, "inreply", 9, "nak", 10);
    static final Map<String, Long> IFACE_TYPES = table("ether", 1, "ppp", 512, "ipip", 768, "ipip6", 769,
            "loopback", 772, "sit", 776, "ipgre", 778);
    static final Map<String, Long> DCCP_TYPES = table("request", 0, "response", 1, "data", 2, "ack", 3, "dataack", 4,
            "closereq", 5, "close", 6, "reset", 7, "sync", 8, "syncack", 9);
    static final Map<String, Long> MPTCP_SUBTYPES = table("mp-capable", 0, "mp-join", 1, "dss", 2, "add-addr", 3,
            "remove-addr", 4, "mp-prio", 5, "mp-fail", 6, "mp-fastclose", 7, "mp-tcprst", 8);
    /** tcpopt.c's options by kind */
    static final Map<String, Long> TCP_OPTIONS = table("eol", 0, "nop", 1, "maxseg", 2, "window", 3, "sack-perm", 4,
            "sack", 5, "timestamp", 8, "md5sig", 19, "mptcp", 30, "fastopen", 34);
    static final Map<String, Long> DAYS = table("Sunday", 0, "Monday", 1, "Tuesday", 2, "Wednesday", 3, "Thursday", 4,
            "Friday", 5, "Saturday", 6);

    /** /etc/protocols of netbase (what Debian-family hosts print): number → name, and every name and alias → number. */
    static final Map<Long, String> PROTO_NAMES = new HashMap<>();
    static final Map<String, Long> PROTO_NUMBERS = new HashMap<>();
    static {
        String[] protocols = {"0 ip IP", "1 icmp ICMP", "2 igmp IGMP", "3 ggp GGP", "4 ipencap IP-ENCAP", "5 st ST",
                "6 tcp TCP", "8 egp EGP", "9 igp IGP", "12 pup PUP", "17 udp UDP", "20 hmp HMP", "22 xns-idp XNS-IDP",
                "27 rdp RDP", "29 iso-tp4 ISO-TP4", "33 dccp DCCP", "36 xtp XTP", "37 ddp DDP", "38 idpr-cmtp IDPR-CMTP",
                "41 ipv6 IPv6", "43 ipv6-route IPv6-Route", "44 ipv6-frag IPv6-Frag", "45 idrp IDRP", "46 rsvp RSVP",
                "47 gre GRE", "50 esp IPSEC-ESP", "51 ah IPSEC-AH", "57 skip SKIP", "58 ipv6-icmp IPv6-ICMP",
                "59 ipv6-nonxt IPv6-NoNxt", "60 ipv6-opts IPv6-Opts", "73 rspf RSPF", "81 vmtp VMTP", "88 eigrp EIGRP",
                "89 ospf OSPFIGP", "93 ax.25 AX.25", "94 ipip IPIP", "97 etherip ETHERIP", "98 encap ENCAP", "103 pim PIM",
                "108 ipcomp IPCOMP", "112 vrrp VRRP", "115 l2tp L2TP", "124 isis ISIS", "132 sctp SCTP", "133 fc FC",
                "135 mobility-header Mobility-Header", "136 udplite UDPLite", "137 mpls-in-ip MPLS-in-IP",
                "139 hip HIP", "140 shim6 Shim6", "141 wesp WESP", "142 rohc ROHC", "143 ethernet Ethernet"};
        for (String p : protocols) {
            String[] f = p.split(" ");
            long n = Long.parseLong(f[0]);
            PROTO_NAMES.putIfAbsent(n, f[1]);
            PROTO_NUMBERS.put(f[1], n);
            PROTO_NUMBERS.put(f[2], n);
        }
        PROTO_NAMES.put(0L, "ip");
        // nft's own keywords for protocols (parser_bison.y primary_rhs_expr)
        PROTO_NUMBERS.put("icmpv6", 58L);
        PROTO_NUMBERS.put("comp", 108L);
    }

    /** Well-known service names (IANA, as /etc/services lists them) → port. */
    static final Map<String, Long> SERVICES = new HashMap<>();
    static {
        String services = "tcpmux 1 echo 7 discard 9 systat 11 daytime 13 netstat 15 qotd 17 chargen 19 ftp-data 20 "
                + "ftp 21 fsp 21 ssh 22 telnet 23 smtp 25 time 37 whois 43 tacacs 49 domain 53 bootps 67 bootpc 68 "
                + "tftp 69 gopher 70 finger 79 http 80 www 80 kerberos 88 pop3 110 sunrpc 111 auth 113 nntp 119 "
                + "ntp 123 epmap 135 netbios-ns 137 netbios-dgm 138 netbios-ssn 139 imap2 143 imap 143 snmp 161 "
                + "snmp-trap 162 bgp 179 ldap 389 https 443 microsoft-ds 445 kpasswd 464 submissions 465 isakmp 500 "
                + "exec 512 biff 512 login 513 who 513 shell 514 syslog 514 printer 515 talk 517 ntalk 518 route 520 "
                + "rtsp 554 ipp 631 dhcpv6-client 546 dhcpv6-server 547 submission 587 ldaps 636 rsync 873 "
                + "domain-s 853 ftps-data 989 ftps 990 telnets 992 imaps 993 pop3s 995 socks 1080 openvpn 1194 "
                + "ms-sql-s 1433 ms-sql-m 1434 l2f 1701 radius 1812 radius-acct 1813 nfs 2049 cvspserver 2401 "
                + "mysql 3306 ms-wbt-server 3389 svn 3690 sieve 4190 ipsec-nat-t 4500 sip 5060 sip-tls 5061 "
                + "xmpp-client 5222 xmpp-server 5269 mdns 5353 postgresql 5432 amqp 5672 x11 6000 redis 6379 "
                + "ircs-u 6697 http-alt 8080 webcache 8080 puppet 8140 git 9418 webmin 10000 zabbix-agent 10050 "
                + "zabbix-trapper 10051 hkp 11371 munin 4949 nrpe 5666 ircd 6667 syslog-tls 6514";
        String[] f = services.split(" ");
        for (int i = 0; i < f.length; i += 2) SERVICES.put(f[i], Long.parseLong(f[i + 1]));
    }

    static Map<String, Long> symbols(Type t) {
        return switch (t) {
            case CT_STATE -> CT_STATES;
            case CT_STATUS -> CT_STATUS;
            case CT_EVENT -> CT_EVENTS;
            case CT_DIR -> CT_DIRS;
            case TCP_FLAG -> TCP_FLAGS;
            case ICMP_TYPE -> ICMP_TYPES;
            case ICMP_CODE -> ICMP_CODES;
            case ICMPV6_TYPE -> ICMPV6_TYPES;
            case ICMPV6_CODE -> ICMPV6_CODES;
            case ICMPX_CODE -> ICMPX_CODES;
            case IGMP_TYPE -> IGMP_TYPES;
            case DSCP -> DSCPS;
            case ECN -> ECNS;
            case PKTTYPE -> PKTTYPES;
            case NFPROTO -> NFPROTOS;
            case ETHERTYPE -> ETHERTYPES;
            case FIB_ADDRTYPE -> FIB_TYPES;
            case ARP_OP -> ARP_OPS;
            case IFACE_TYPE -> IFACE_TYPES;
            case DCCP_PKTTYPE -> DCCP_TYPES;
            case DAY -> DAYS;
            case MPTCP_SUBTYPE -> MPTCP_SUBTYPES;
            case CT_LABEL -> Map.of();
            default -> Map.of();
        };
    }

    /** The name nft prints for value {@code v} of a symbolic type (the first name with that value), or null. */
    static String nameOf(Type t, long v) {
        for (Map.Entry<String, Long> e : symbols(t).entrySet()) if (e.getValue() == v) return e.getKey();
        return null;
    }

    // ---------------------------------------------------------------------------------------------- values

    /** A number as nft's scanner reads it: decimal, 0x hex, or octal with a leading 0; null when it is none. */
    static Long number(String s) {
        try {
            if (s.matches("0[xX][0-9A-Fa-f]+")) return Long.parseUnsignedLong(s.substring(2), 16);
            if (s.matches("0[0-7]+")) return Long.parseLong(s.substring(1), 8);
            if (Text.isAsciiDigits(s)) return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /**
     * One value written as {@code text} (a word or quoted string) for type {@code t}, as nft -j prints it.
     * @throws NftSyntax when it is not a value of that type
     */
    static JsonNode literal(Type t, String text, boolean quoted, int line) {
        Long n = quoted ? null : number(text);
        switch (t.kind) {
            case IPV4 -> {
                if (!quoted && isIpv4(text)) return JSON.textNode(text);
                // a number written for an address (`ip saddr & 0xff == 1`): nft takes its 32 bits
                if (n != null && n <= 0xffffffffL) return JSON.textNode(NftRuleParser.formatIpv4(n));
                throw new NftSyntax(line, "\"" + text + "\" is not an IPv4 address (host names are not resolved)");
            }
            case IPV6 -> {
                if (!quoted && NftLexer.isIpv6(text)) return JSON.textNode(canonicalIpv6(text));
                throw new NftSyntax(line, "\"" + text + "\" is not an IPv6 address (host names are not resolved)");
            }
            case ETHER -> {
                if (text.matches("([0-9A-Fa-f]{1,2}:){5}[0-9A-Fa-f]{1,2}")) return JSON.textNode(canonicalMac(text));
                throw new NftSyntax(line, "\"" + text + "\" is not an Ethernet address");
            }
            case INTEGER, TIME -> {
                if (n != null) return JSON.numberNode(n);
                // wider than 64 bits (a raw payload of 128): nft's JSON prints such values as hex text
                if (!quoted && text.matches("0[xX][0-9A-Fa-f]{17,}")) return JSON.textNode(text.toLowerCase(Locale.ROOT));
                if (t == Type.MARK || t == Type.INTEGER || t == Type.BITMASK) throw new NftSyntax(line, "\"" + text + "\" is not a number");
                if (t.kind == Kind.TIME) {
                    Long ms = timeMillis(text);
                    if (ms == null) throw new NftSyntax(line, "\"" + text + "\" is not a time");
                    return JSON.numberNode(ms / 1000);
                }
                return JSON.textNode(text);   // a user or group name: resolved on the host that loads the rules
            }
            case STRING -> {
                return JSON.textNode(text);
            }
            case PROTO -> {
                Long v = n != null ? n : PROTO_NUMBERS.get(text);
                if (v == null) throw new NftSyntax(line, "\"" + text + "\" is not a protocol");
                String name = PROTO_NAMES.get(v);
                return name != null ? JSON.textNode(name) : JSON.numberNode(v);
            }
            case SERVICE -> {
                Long v = n != null ? n : SERVICES.get(text);
                if (v == null) throw new NftSyntax(line, "\"" + text + "\" is not a port number or a service name roundtrip knows");
                return JSON.numberNode(v);
            }
            case SYMBOLIC, BITMASK -> {
                Map<String, Long> symbols = symbols(t);
                if (n != null) {
                    String name = nameOf(t, n);
                    return name != null ? JSON.textNode(name) : JSON.numberNode(n);
                }
                String key = t == Type.DAY ? capitalize(text) : text;
                if (symbols.containsKey(key)) return JSON.textNode(key);
                throw new NftSyntax(line, "\"" + text + "\" is not a " + t.word());
            }
            case BOOLEAN -> {
                if (text.equals("exists") || text.equals("1")) return JSON.booleanNode(true);
                if (text.equals("missing") || text.equals("0")) return JSON.booleanNode(false);
                throw new NftSyntax(line, "\"" + text + "\" is not exists or missing");
            }
            case HOUR -> {
                // nft lists an hour as HH:MM, with :SS only when there are seconds, wrapped at midnight
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?").matcher(text);
                if (!m.matches()) return JSON.textNode(text);
                int secs = (Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
                        + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)))) % 86400;
                String hm = String.format("%02d:%02d", secs / 3600, secs / 60 % 60);
                return JSON.textNode(secs % 60 == 0 ? hm : hm + String.format(":%02d", secs % 60));
            }
            case DATE -> {
                // nft lists a date with seconds
                return JSON.textNode(text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}") ? text + ":00" : text);
            }
            default -> {
                if (t == Type.CLASSID && n != null) return JSON.textNode(Long.toHexString(n >> 16) + ":" + Long.toHexString(n & 0xffff));
                if (t == Type.DEVGROUP && n != null && n == 0) return JSON.textNode("default");
                if (n != null) return JSON.numberNode(n);
                return JSON.textNode(text);
            }
        }
    }

    private static String capitalize(String s) {
        for (String day : DAYS.keySet()) if (day.equalsIgnoreCase(s) || day.substring(0, 3).equalsIgnoreCase(s)) return day;
        return s;
    }

    static boolean isIpv4(String s) {
        if (!s.matches("([0-9]{1,3}\\.){3}[0-9]{1,3}")) return false;
        for (String o : s.split("\\.")) if (Integer.parseInt(o) > 255) return false;
        return true;
    }

    /** A time like 1h30m or 10s in milliseconds (nft's time_parse); a bare number is seconds. */
    static Long timeMillis(String s) {
        if (Text.isAsciiDigits(s)) return Long.parseLong(s) * 1000;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+d)?([0-9]+h)?([0-9]+m(?!s))?([0-9]+s)?([0-9]+ms)?").matcher(s);
        if (!m.matches() || s.isEmpty()) return null;
        long ms = 0;
        long[] unit = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        for (int g = 1; g <= 5; g++) {
            String part = m.group(g);
            if (part == null) continue;
            ms += Long.parseLong(part.replaceAll("[a-z]+$", "")) * unit[g - 1];
        }
        return ms;
    }

    private static String canonicalMac(String s) {
        StringBuilder sb = new StringBuilder();
        for (String p : s.split(":")) {
            if (sb.length() > 0) sb.append(':');
            sb.append(p.length() == 1 ? "0" + p : p.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /** The text nft prints for an IPv6 address: inet_ntop's (RFC 5952, glibc's dotted tails), which {@link Ip} writes. */
    static String canonicalIpv6(String s) {
        Ip ip = Ip.parseV6OrNull(s);
        return ip == null ? s : ip.toString();
    }


    private static java.util.List<Integer> groups(String part) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        if (part.isEmpty()) return out;
        for (String p : part.split(":")) {
            if (p.contains(".")) {
                String[] o = p.split("\\.");
                out.add(Integer.parseInt(o[0]) << 8 | Integer.parseInt(o[1]));
                out.add(Integer.parseInt(o[2]) << 8 | Integer.parseInt(o[3]));
            } else {
                out.add(Integer.parseInt(p, 16));
            }
        }
        return out;
    }
}
