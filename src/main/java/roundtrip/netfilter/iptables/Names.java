package roundtrip.netfilter.iptables;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Name tables iptables accepts in place of numbers: protocols, services, ICMP types, TCP flags. */
final class Names {
    private Names() {}

    private static final Map<String, Integer> PROTOCOLS = new HashMap<>();
    private static final Map<String, Integer> SERVICES = new HashMap<>();
    /** ICMP name -> {type, codeMin, codeMax}, as libxt_icmp lists them. */
    private static final Map<String, int[]> ICMP = new HashMap<>();
    /** ICMPv6 name -> {type, codeMin, codeMax}, the names ip6tables reads and ip6tables-save prints (libxt_icmp's icmpv6 list). */
    private static final Map<String, int[]> ICMP6 = new HashMap<>();

    static {
        String[] protocols = {
            "all:0", "ip:0", "icmp:1", "igmp:2", "ipip:4", "ipencap:4", "tcp:6", "egp:8", "udp:17", "dccp:33",
            "ipv6:41", "rsvp:46", "gre:47", "esp:50", "ah:51", "ipv6-icmp:58", "icmpv6:58", "eigrp:88", "ospf:89",
            "ospfigp:89", "pim:103", "ipcomp:108", "vrrp:112", "l2tp:115", "sctp:132", "mh:135", "udplite:136",
            "mpls-in-ip:137", "ethernet:143"};
        for (String p : protocols) {
            int colon = p.indexOf(':');
            PROTOCOLS.put(p.substring(0, colon), Integer.parseInt(p.substring(colon + 1)));
        }
        String[] services = {
            "ftp-data:20", "ftp:21", "ssh:22", "telnet:23", "smtp:25", "domain:53", "bootps:67", "bootpc:68",
            "tftp:69", "http:80", "www:80", "pop3:110", "ntp:123", "imap:143", "imap2:143", "snmp:161", "bgp:179",
            "ldap:389", "https:443", "microsoft-ds:445", "isakmp:500", "syslog:514", "submission:587", "ldaps:636",
            "imaps:993", "pop3s:995", "openvpn:1194", "l2tp:1701", "pptp:1723", "mysql:3306", "ipsec-nat-t:4500",
            "sip:5060", "postgresql:5432", "http-alt:8080"};
        for (String s : services) {
            int colon = s.indexOf(':');
            SERVICES.put(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        }
        icmp("echo-reply", 0, 0, 0xff);
        icmp("pong", 0, 0, 0xff);
        icmp("destination-unreachable", 3, 0, 0xff);
        icmp("network-unreachable", 3, 0, 0);
        icmp("host-unreachable", 3, 1, 1);
        icmp("protocol-unreachable", 3, 2, 2);
        icmp("port-unreachable", 3, 3, 3);
        icmp("fragmentation-needed", 3, 4, 4);
        icmp("source-route-failed", 3, 5, 5);
        icmp("network-unknown", 3, 6, 6);
        icmp("host-unknown", 3, 7, 7);
        icmp("network-prohibited", 3, 9, 9);
        icmp("host-prohibited", 3, 10, 10);
        icmp("TOS-network-unreachable", 3, 11, 11);
        icmp("TOS-host-unreachable", 3, 12, 12);
        icmp("communication-prohibited", 3, 13, 13);
        icmp("host-precedence-violation", 3, 14, 14);
        icmp("precedence-cutoff", 3, 15, 15);
        icmp("source-quench", 4, 0, 0xff);
        icmp("redirect", 5, 0, 0xff);
        icmp("network-redirect", 5, 0, 0);
        icmp("host-redirect", 5, 1, 1);
        icmp("TOS-network-redirect", 5, 2, 2);
        icmp("TOS-host-redirect", 5, 3, 3);
        icmp("echo-request", 8, 0, 0xff);
        icmp("ping", 8, 0, 0xff);
        icmp("router-advertisement", 9, 0, 0xff);
        icmp("router-solicitation", 10, 0, 0xff);
        icmp("time-exceeded", 11, 0, 0xff);
        icmp("ttl-exceeded", 11, 0, 0xff);
        icmp("ttl-zero-during-transit", 11, 0, 0);
        icmp("ttl-zero-during-reassembly", 11, 1, 1);
        icmp("parameter-problem", 12, 0, 0xff);
        icmp("ip-header-bad", 12, 0, 0);
        icmp("required-option-missing", 12, 1, 1);
        icmp("timestamp-request", 13, 0, 0xff);
        icmp("timestamp-reply", 14, 0, 0xff);
        icmp("address-mask-request", 17, 0, 0xff);
        icmp("address-mask-reply", 18, 0, 0xff);
        Object[][] icmp6 = {
            {"destination-unreachable", 1, 0, 0xff}, {"no-route", 1, 0, 0}, {"communication-prohibited", 1, 1, 1},
            {"beyond-scope", 1, 2, 2}, {"address-unreachable", 1, 3, 3}, {"port-unreachable", 1, 4, 4},
            {"failed-policy", 1, 5, 5}, {"reject-route", 1, 6, 6}, {"packet-too-big", 2, 0, 0xff},
            {"time-exceeded", 3, 0, 0xff}, {"ttl-exceeded", 3, 0, 0xff}, {"ttl-zero-during-transit", 3, 0, 0},
            {"ttl-zero-during-reassembly", 3, 1, 1}, {"parameter-problem", 4, 0, 0xff}, {"bad-header", 4, 0, 0},
            {"unknown-header-type", 4, 1, 1}, {"unknown-option", 4, 2, 2}, {"echo-request", 128, 0, 0xff},
            {"ping", 128, 0, 0xff}, {"echo-reply", 129, 0, 0xff}, {"pong", 129, 0, 0xff},
            {"mld-listener-query", 130, 0, 0xff}, {"mld-listener-report", 131, 0, 0xff},
            {"mld-listener-done", 132, 0, 0xff}, {"mld-listener-reduction", 132, 0, 0xff},
            {"router-solicitation", 133, 0, 0xff}, {"router-advertisement", 134, 0, 0xff},
            {"neighbour-solicitation", 135, 0, 0xff}, {"neighbor-solicitation", 135, 0, 0xff},
            {"neighbour-advertisement", 136, 0, 0xff}, {"neighbor-advertisement", 136, 0, 0xff},
            {"redirect", 137, 0, 0xff}};
        for (Object[] e : icmp6) ICMP6.put((String) e[0], new int[] {(int) e[1], (int) e[2], (int) e[3]});
    }

    private static void icmp(String name, int type, int codeMin, int codeMax) {
        ICMP.put(name.toLowerCase(Locale.ROOT), new int[] {type, codeMin, codeMax});
    }

    /** Protocol number for a name or number; -1 when unknown. */
    static int protocol(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Integer known = PROTOCOLS.get(t);
        if (known != null) return known;
        int n = number(t);
        return n >= 0 && n <= 255 ? n : -1;
    }

    /** Port number for a number or service name; -1 when unknown. */
    static int port(String text) {
        Integer known = SERVICES.get(text.toLowerCase(Locale.ROOT));
        if (known != null) return known;
        int n = number(text);
        return n >= 0 && n <= 65535 ? n : -1;
    }

    /** {type, codeMin, codeMax} for an ICMP name, "any" (type -1) or "type[/code]"; null when unknown. */
    static int[] icmpType(String text) {
        if (text.toLowerCase(Locale.ROOT).equals("any")) return new int[] {-1, 0, 0xff};
        return typeCode(text, ICMP);
    }

    /** {type, codeMin, codeMax} for an ICMPv6 name (or unambiguous abbreviation) or "type[/code]"; null when unknown. */
    static int[] icmp6Type(String text) { return typeCode(text, ICMP6); }

    /** A name of {@code names}, "type[/code]", or (as libxt_icmp and libip6t_icmp6 accept) an unambiguous abbreviation. */
    private static int[] typeCode(String text, Map<String, int[]> names) {
        String t = text.toLowerCase(Locale.ROOT);
        int[] exact = names.get(t);
        if (exact != null) return exact;
        int slash = t.indexOf('/');
        int type = number(slash < 0 ? t : t.substring(0, slash));
        if (type >= 0 && type <= 255) {
            if (slash < 0) return new int[] {type, 0, 0xff};
            int code = number(t.substring(slash + 1));
            return code >= 0 && code <= 255 ? new int[] {type, code, code} : null;
        }
        int[] found = null;
        for (Map.Entry<String, int[]> e : names.entrySet()) {
            if (e.getKey().startsWith(t)) {
                if (found != null && !sameIcmp(found, e.getValue())) return null;
                found = e.getValue();
            }
        }
        return found;
    }

    private static boolean sameIcmp(int[] a, int[] b) { return a[0] == b[0] && a[1] == b[1] && a[2] == b[2]; }

    /** TCP flag bits for a comma list of FIN,SYN,RST,PSH,ACK,URG,ALL,NONE; -1 when a name is unknown. */
    static int tcpFlags(String list) {
        int bits = 0;
        for (String f : list.split(",", -1)) {
            switch (f.toUpperCase(Locale.ROOT)) {
                case "FIN" -> bits |= 0x01;
                case "SYN" -> bits |= 0x02;
                case "RST" -> bits |= 0x04;
                case "PSH" -> bits |= 0x08;
                case "ACK" -> bits |= 0x10;
                case "URG" -> bits |= 0x20;
                case "ALL" -> bits |= 0x3f;
                case "NONE" -> { }
                default -> { return -1; }
            }
        }
        return bits;
    }

    /** Non-negative decimal number, or -1. */
    static int number(String text) {
        if (text.isEmpty() || text.length() > 9) return -1;
        for (int i = 0; i < text.length(); i++) if (!Character.isDigit(text.charAt(i))) return -1;
        return Integer.parseInt(text);
    }

    /** A 32-bit value in decimal or 0x hex (marks, masks); -1 when not a number. */
    static long u32(String text) {
        try {
            long v = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
            return v >= 0 && v <= 0xffffffffL ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
