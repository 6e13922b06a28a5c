package roundtrip.importer;

import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A closed device's firewall described by what it does (a commercial router's "NAT", "port forwarding",
 * "firewall: allow LAN to WAN"), translated into the iptables rules a Linux router uses for the same effect:
 * <pre>
 *   nat:          [{source: CIDR, destination: CIDR, out: IF, proto: P, to-source: ADDR}]   -> nat POSTROUTING SNAT
 *   masquerade:   [{out: IF, source: CIDR, destination: CIDR}]  (or just [IF])           -> nat POSTROUTING MASQUERADE
 *   port-forward: [{in: IF, proto: tcp|udp, dport: N, to: ADDR[:PORT], destination: ADDR}] -> nat PREROUTING DNAT
 *   forward:      accept | drop     (drop: only replies, allowed flows and port forwards pass)
 *   allow:        [{from: IF, to: IF, source: CIDR, destination: CIDR, proto: P, dport: N}]
 *   input:        accept | drop     (drop: only loopback, replies and allowed traffic reach the device)
 *   allow-input:  [{in: IF, source: CIDR, proto: P, dport: N}]
 * </pre>
 * Each rule is attributed to the YAML line of its intent.
 */
final class IntentRules {
    static final Set<String> KEYS = Set.of("nat", "masquerade", "port-forward", "forward", "allow", "input", "allow-input");

    private IntentRules() {}

    /**
     * @param host          the host's YAML map
     * @param knownIface    whether an interface name exists on the host ("+" wildcards are accepted as iptables does)
     * @return the rules, or null when the host has no intent keys
     */
    static IptablesText render(YamlNode host, Predicate<String> knownIface, List<Problem> problems) {
        boolean any = host.entries().stream().anyMatch(e -> KEYS.contains(e.getKey()));
        if (!any) return null;
        IptablesText out = new IptablesText(host.line());
        Interfaces ifs = new Interfaces(knownIface);

        YamlNode forward = host.get("forward");
        boolean forwardDrop = forward != null && policy(forward).equals("DROP");
        if (forward != null) {
            out.policy("filter", "FORWARD", policy(forward), forward.line());
            if (forwardDrop)
                out.append("filter", "FORWARD", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", forward.line());
        }
        YamlNode input = host.get("input");
        if (input != null) {
            out.policy("filter", "INPUT", policy(input), input.line());
            if (policy(input).equals("DROP")) {
                out.append("filter", "INPUT", "-i lo -j ACCEPT", input.line());
                out.append("filter", "INPUT", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", input.line());
            }
        }

        for (YamlNode item : list(host, "nat")) {
            item.onlyKeys(Set.of("source", "destination", "out", "proto", "to-source"));
            String toSource = required(item, "to-source");
            address(item, toSource);
            out.append("nat", "POSTROUTING", match(item, ifs, null, "out") + "-j SNAT --to-source " + toSource, item.line());
        }
        for (YamlNode item : list(host, "masquerade")) {
            if (item.isScalar()) {
                String iface = ifs.check(item, item.text());
                out.append("nat", "POSTROUTING", "-o " + iface + " -j MASQUERADE", item.line());
                continue;
            }
            item.onlyKeys(Set.of("source", "destination", "out", "proto"));
            out.append("nat", "POSTROUTING", match(item, ifs, null, "out") + "-j MASQUERADE", item.line());
        }
        for (YamlNode item : list(host, "port-forward")) {
            item.onlyKeys(Set.of("in", "proto", "dport", "to", "destination"));
            String proto = required(item, "proto");
            if (!proto.equals("tcp") && !proto.equals("udp")) throw item.error("port-forward proto must be tcp or udp");
            String dport = port(item, required(item, "dport"));
            String to = required(item, "to");
            int colon = to.indexOf(':');
            String toAddr = colon < 0 ? to : to.substring(0, colon);
            String toPort = colon < 0 ? dport : port(item, to.substring(colon + 1));
            address(item, toAddr);
            StringBuilder m = new StringBuilder();
            if (item.string("in") != null) m.append("-i ").append(ifs.check(item, item.string("in"))).append(' ');
            if (item.string("destination") != null) m.append("-d ").append(cidr(item, item.string("destination"))).append(' ');
            m.append("-p ").append(proto).append(" -m ").append(proto).append(" --dport ").append(dport).append(' ');
            out.append("nat", "PREROUTING", m + "-j DNAT --to-destination " + toAddr + (colon < 0 ? "" : ":" + toPort), item.line());
            if (forwardDrop)
                out.append("filter", "FORWARD", "-d " + toAddr + "/32 -p " + proto + " -m " + proto + " --dport " + toPort
                        + " -m conntrack --ctstate DNAT -j ACCEPT", item.line());
        }
        for (YamlNode item : list(host, "allow")) {
            item.onlyKeys(Set.of("from", "to", "source", "destination", "proto", "dport"));
            if (!forwardDrop)
                problems.add(new Problem(new Source(host.doc().file(), item.line(), "allow"),
                        Message.of(Sentences.ALLOW_WITHOUT_FORWARD_DROP)));
            out.append("filter", "FORWARD", match(item, ifs, "from", "to") + "-j ACCEPT", item.line());
        }
        for (YamlNode item : list(host, "allow-input")) {
            item.onlyKeys(Set.of("in", "source", "proto", "dport"));
            out.append("filter", "INPUT", match(item, ifs, "in", null) + "-j ACCEPT", item.line());
        }
        return out;
    }

    private static List<YamlNode> list(YamlNode host, String key) {
        YamlNode v = host.get(key);
        return v == null ? List.of() : v.items();
    }

    private static String policy(YamlNode v) {
        return switch (v.text().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "accept", "allow" -> "ACCEPT";
            case "drop", "deny", "reject" -> "DROP";
            default -> throw v.error(v.what() + " must be accept or drop");
        };
    }

    /** "-i IN -o OUT -s SRC -d DST -p P --dport N " for the fields an intent item has. */
    private static String match(YamlNode item, Interfaces ifs, String inKey, String outKey) {
        StringBuilder m = new StringBuilder();
        if (inKey != null && item.string(inKey) != null) m.append("-i ").append(ifs.check(item, item.string(inKey))).append(' ');
        if (outKey != null && item.string(outKey) != null) m.append("-o ").append(ifs.check(item, item.string(outKey))).append(' ');
        if (item.string("source") != null) m.append("-s ").append(cidr(item, item.string("source"))).append(' ');
        if (item.string("destination") != null) m.append("-d ").append(cidr(item, item.string("destination"))).append(' ');
        String proto = item.string("proto");
        String dport = item.string("dport");
        if (proto != null) {
            if (!Set.of("tcp", "udp", "icmp").contains(proto)) throw item.error("proto must be tcp, udp or icmp");
            m.append("-p ").append(proto).append(' ');
        }
        if (dport != null) {
            if (proto == null || proto.equals("icmp")) throw item.error("dport needs proto tcp or udp");
            m.append("-m ").append(proto).append(" --dport ").append(port(item, dport)).append(' ');
        }
        return m.toString();
    }

    private static String required(YamlNode item, String key) {
        String v = item.string(key);
        if (v == null) throw item.error("missing \"" + key + "\"");
        return v.trim();
    }

    private static String cidr(YamlNode item, String text) {
        try {
            Prefix p = Prefix.parse(text);
            if (!p.addr().isV4()) throw new IllegalArgumentException("IPv6");
            return p.toString();
        } catch (IllegalArgumentException e) {
            throw item.error("not an address or CIDR: " + text);
        }
    }

    private static void address(YamlNode item, String text) {
        if (!Ip.isV4Address(text)) throw item.error("not an IPv4 address: " + text);
    }

    private static String port(YamlNode item, String text) {
        String t = text.trim();
        String[] range = t.split("[-:]", -1);
        for (String r : range) {
            try {
                int p = Integer.parseInt(r);
                if (p < 1 || p > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw item.error("not a port or port range: " + text);
            }
        }
        if (range.length > 2) throw item.error("not a port or port range: " + text);
        return String.join(":", range);
    }

    /** Interface names of intents must exist on the host (iptables "+" wildcards excepted). */
    private record Interfaces(Predicate<String> known) {
        String check(YamlNode item, String name) {
            String n = name.trim();
            if (n.isEmpty() || n.contains(" ")) throw item.error("not an interface name: \"" + name + "\"");
            if (!n.endsWith("+") && !known.test(n)) throw item.error("no interface \"" + n + "\" on this host");
            return n;
        }
    }
}
