package roundtrip.fix;

import roundtrip.model.Text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an iptables command does to the tables iptables-nft keeps in nftables (`table ip filter`, `table ip6 filter`,
 * as Docker or an OpenWrt package leaves them beside fw4): the rule an `iptables -I CHAIN SPEC` inserts there, written
 * in nft's words, so the fix is simulated on the table the command really edits. Only the matches our fixes write are
 * known (devices, addresses, protocol, ports, conntrack state, the plain verdicts and MASQUERADE); anything else is
 * refused, and the fix is then reported as not simulated rather than simulated wrongly.
 */
final class IptablesNftCompat {
    private IptablesNftCompat() {}

    /** The nft rule for an iptables rule specification ("-i br-lan -o eth1 -j ACCEPT"); null when a part is not known. */
    static String rule(String spec, boolean v6) {
        List<String> w = List.of(Text.words(spec.trim()));   // our fixes' specifications: no quoting
        List<String> out = new ArrayList<>();
        String proto = null, verdict = null;
        String family = v6 ? "ip6" : "ip";
        for (int i = 0; i < w.size(); i++) {
            String o = w.get(i);
            String v = i + 1 < w.size() ? w.get(i + 1) : null;
            switch (o) {
                case "-i", "--in-interface" -> { out.add("iifname \"" + v + "\""); i++; }
                case "-o", "--out-interface" -> { out.add("oifname \"" + v + "\""); i++; }
                case "-s", "--source" -> { out.add(family + " saddr " + v); i++; }
                case "-d", "--destination" -> { out.add(family + " daddr " + v); i++; }
                case "-p", "--protocol" -> {
                    proto = v.toLowerCase(Locale.ROOT);
                    out.add("meta l4proto " + (proto.equals("icmpv6") || proto.equals("ipv6-icmp") ? "ipv6-icmp" : proto));
                    i++;
                }
                case "-m" -> {
                    if (!List.of("tcp", "udp", "conntrack", "state", "icmp", "icmp6").contains(v)) return null;
                    i++;
                }
                case "--dport", "--destination-port", "--sport", "--source-port" -> {
                    if (!"tcp".equals(proto) && !"udp".equals(proto)) return null;
                    boolean dst = o.equals("--dport") || o.equals("--destination-port");
                    out.add(proto + (dst ? " dport " : " sport ") + v.replace(':', '-'));
                    i++;
                }
                case "--ctstate", "--state" -> { out.add("ct state " + v.toLowerCase(Locale.ROOT)); i++; }
                case "-j", "--jump" -> {
                    verdict = switch (v) {
                        case "ACCEPT", "DROP", "RETURN" -> v.toLowerCase(Locale.ROOT);
                        case "MASQUERADE" -> "masquerade";
                        default -> null;
                    };
                    if (verdict == null) return null;
                    i++;
                }
                default -> { return null; }   // a negation, another match or option: not known here
            }
        }
        if (verdict == null) return null;
        out.add(verdict);
        return String.join(" ", out);
    }
}
