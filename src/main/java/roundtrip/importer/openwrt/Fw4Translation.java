package roundtrip.importer.openwrt;

import roundtrip.importer.HostBuilder;
import roundtrip.importer.IptablesText;
import roundtrip.model.Problem;
import roundtrip.netfilter.Ruleset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * /etc/config/firewall translated into the iptables rules that decide the same verdicts as the nftables ruleset
 * fw4 generates from it. fw4 itself emits nft (table inet fw4); until roundtrip evaluates nft, the same chain
 * structure is rendered as iptables so the trace quotes each rule at the UCI line it came from:
 * <ul>
 *   <li>INPUT/FORWARD/OUTPUT: loopback accept (input/output), established/related accept (and invalid drop with
 *       defaults.drop_invalid), the rules of src/dest '*', then a jump per zone device to input_Z / forward_Z /
 *       output_Z, then the defaults' policy (REJECT = jump handle_reject);</li>
 *   <li>input_Z / forward_Z / output_Z: the zone's rules and forwardings, "ct status dnat accept" when the zone has
 *       port forwards, then the zone policy as a jump to accept|drop|reject _from_Z (input) or _to_Z;</li>
 *   <li>accept_to_Z of a masquerading zone starts with fw4's "Prevent NAT leakage": ct state invalid drop on the
 *       zone's egress devices, unless masq_allow_invalid or defaults.drop_invalid;</li>
 *   <li>nat: PREROUTING jumps per zone device to dstnat_Z holding the redirects (DNAT, or REDIRECT without
 *       dest_ip); POSTROUTING to srcnat_Z holding SNAT redirects, nat sections and the zone's MASQUERADE with
 *       masq_src / masq_dest.</li>
 * </ul>
 * Not translated (reported as Problems where configured): IPv6, ipsets, rule time limits, marks and DSCP
 * targets, helpers, NAT reflection (hairpin), log and limit options (no effect on one probe's verdict).
 */
final class Fw4Translation {
    private Fw4Translation() {}

    private static final class Zone {
        final String name;
        final int line;
        final List<String> devices = new ArrayList<>();
        final List<String> subnets = new ArrayList<>();
        String input, output, forward;
        boolean masq, masqAllowInvalid, dnat, snat, mtuFix;
        final List<String> masqSrc = new ArrayList<>(), masqDest = new ArrayList<>();
        int masqLine;

        Zone(String name, int line) { this.name = name; this.line = line; }
    }

    static void translate(HostBuilder b, Uci fw, Map<String, String> deviceOf) {
        b.firewall(ruleset(fw, deviceOf, b.problems()));
        b.firewallConfig(new Fw4Config(fw, deviceOf));
    }

    /** The ruleset standing for fw4's; what is not translated is added to {@code problems}. */
    static Ruleset ruleset(Uci fw, Map<String, String> deviceOf, List<Problem> problems) {
        return rules(problems, fw, deviceOf).parse(fw.file());
    }

    /** The iptables rules standing for fw4's ruleset; {@code deviceOf} maps network interface names to devices. */
    static IptablesText rules(List<Problem> problems, Uci fw, Map<String, String> deviceOf) {
        IptablesText out = new IptablesText(1);
        Uci.Section defaults = fw.sections("defaults").isEmpty() ? null : fw.sections("defaults").get(0);
        String dInput = policy(fw, defaults, "input", "drop"), dOutput = policy(fw, defaults, "output", "drop"),
                dForward = policy(fw, defaults, "forward", "drop");
        boolean dropInvalid = defaults != null && defaults.flag("drop_invalid", false);
        int dLine = defaults == null ? 1 : defaults.line;

        Map<String, Zone> zones = new LinkedHashMap<>();
        for (Uci.Section s : fw.sections("zone")) {
            if (!s.flag("enabled", true)) continue;
            String name = s.get("name", s.name);
            if (name == null) throw fw.error(s.line, "zone without option name");
            if ("ipv6".equals(s.get("family"))) continue;
            Zone z = new Zone(name, s.line);
            z.input = policy(fw, s, "input", dInput);
            z.output = policy(fw, s, "output", dOutput);
            z.forward = policy(fw, s, "forward", dForward);
            for (Uci.Value n : s.list("network")) {
                String dev = deviceOf.get(n.text());
                if (dev == null)
                    problems.add(new Problem(fw.source(n.line(), "list network '" + n.text() + "'"), "zone " + name
                            + ": network '" + n.text() + "' has no device in /etc/config/network: nothing matches it"));
                else if (!z.devices.contains(dev)) z.devices.add(dev);
            }
            for (Uci.Value d : s.list("device")) if (!z.devices.contains(d.text())) z.devices.add(iptablesWildcard(d.text()));
            for (Uci.Value sn : s.list("subnet")) if (!sn.text().contains(":")) z.subnets.add(sn.text());
            z.masq = s.flag("masq", false);
            z.masqLine = s.option("masq") != null ? s.option("masq").line() : s.line;
            z.masqAllowInvalid = s.flag("masq_allow_invalid", false);
            z.mtuFix = s.flag("mtu_fix", false);
            for (Uci.Value v : s.list("masq_src")) if (!v.text().contains(":")) z.masqSrc.add(v.text());
            for (Uci.Value v : s.list("masq_dest")) if (!v.text().contains(":")) z.masqDest.add(v.text());
            zones.put(name, z);
        }

        List<Redirect> redirects = new ArrayList<>();
        for (Uci.Section s : fw.sections("redirect")) {
            if (!s.flag("enabled", true) || "ipv6".equals(s.get("family"))) continue;
            redirects.addAll(redirect(problems, fw, s, zones));
        }

        // filter: the base chains
        out.policy("filter", "INPUT", "DROP", dLine).policy("filter", "FORWARD", "DROP", dLine).policy("filter", "OUTPUT", "DROP", dLine);
        if (dInput.equals("accept")) out.policy("filter", "INPUT", "ACCEPT", dLine);
        if (dForward.equals("accept")) out.policy("filter", "FORWARD", "ACCEPT", dLine);
        if (dOutput.equals("accept")) out.policy("filter", "OUTPUT", "ACCEPT", dLine);
        out.chain("filter", "handle_reject");
        out.append("filter", "handle_reject", "-p tcp -j REJECT --reject-with tcp-reset", dLine);
        out.append("filter", "handle_reject", "-j REJECT --reject-with icmp-port-unreachable", dLine);
        String ct = "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT";
        out.append("filter", "INPUT", "-i lo -j ACCEPT", dLine);
        out.append("filter", "INPUT", ct, dLine);
        out.append("filter", "FORWARD", ct, dLine);
        out.append("filter", "OUTPUT", "-o lo -j ACCEPT", dLine);
        out.append("filter", "OUTPUT", ct, dLine);
        if (dropInvalid)
            for (String chain : new String[] {"INPUT", "FORWARD", "OUTPUT"})
                out.append("filter", chain, "-m conntrack --ctstate INVALID -j DROP", defaults.option("drop_invalid").line());

        for (Zone z : zones.values())
            for (String c : new String[] {"input_", "output_", "forward_", "accept_from_", "drop_from_", "reject_from_",
                    "accept_to_", "drop_to_", "reject_to_"})
                out.chain("filter", c + z.name);

        // rules and forwardings, by the chain fw4 puts them in (in file order, before the zone jumps)
        Map<String, List<String[]>> chainRules = new LinkedHashMap<>();   // chain -> {rule text, line}
        for (Uci.Section s : fw.sections("rule")) {
            if (!s.flag("enabled", true)) continue;
            rule(problems, fw, s, zones, chainRules);
        }
        for (Uci.Section s : fw.sections("forwarding")) {
            if (!s.flag("enabled", true) || "ipv6".equals(s.get("family"))) continue;
            String src = s.get("src"), dest = s.get("dest");
            if (src == null || dest == null) throw fw.error(s.line, "forwarding needs src and dest");
            if (!src.equals("*") && !zones.containsKey(src)) throw fw.error(s.option("src").line(), "forwarding: no zone '" + src + "'");
            if (!dest.equals("*") && !zones.containsKey(dest)) throw fw.error(s.option("dest").line(), "forwarding: no zone '" + dest + "'");
            String chain = src.equals("*") ? "FORWARD" : "forward_" + src;
            String target = dest.equals("*") ? "-j ACCEPT" : "-j accept_to_" + dest;
            chainRules.computeIfAbsent(chain, k -> new ArrayList<>()).add(new String[] {target, Integer.toString(s.line)});
        }
        for (String base : new String[] {"INPUT", "FORWARD", "OUTPUT"})
            for (String[] r : chainRules.getOrDefault(base, List.of())) out.append("filter", base, r[0], Integer.parseInt(r[1]));
        for (Zone z : zones.values()) {
            for (String m : zoneMatches(z, false)) {
                out.append("filter", "INPUT", m + "-j input_" + z.name, z.line);
                out.append("filter", "FORWARD", m + "-j forward_" + z.name, z.line);
            }
            for (String m : zoneMatches(z, true)) out.append("filter", "OUTPUT", m + "-j output_" + z.name, z.line);
        }
        if (dInput.equals("reject")) out.append("filter", "INPUT", "-j handle_reject", dLine);
        if (dForward.equals("reject")) out.append("filter", "FORWARD", "-j handle_reject", dLine);
        if (dOutput.equals("reject")) out.append("filter", "OUTPUT", "-j handle_reject", dLine);

        for (Zone z : zones.values()) {
            for (String dir : new String[] {"input", "output", "forward"}) {
                String chain = dir + "_" + z.name;
                for (String[] r : chainRules.getOrDefault(chain, List.of())) out.append("filter", chain, r[0], Integer.parseInt(r[1]));
                if (z.dnat && !dir.equals("output"))
                    out.append("filter", chain, "-m conntrack --ctstate DNAT -j ACCEPT", z.line);
                String verdict = dir.equals("input") ? z.input : dir.equals("output") ? z.output : z.forward;
                out.append("filter", chain, "-j " + verdict + (dir.equals("input") ? "_from_" : "_to_") + z.name, z.line);
            }
            for (String verdict : new String[] {"accept", "drop", "reject"}) {
                String target = switch (verdict) {
                    case "accept" -> "-j ACCEPT";
                    case "drop" -> "-j DROP";
                    default -> "-j handle_reject";
                };
                for (String m : zoneMatches(z, false)) out.append("filter", verdict + "_from_" + z.name, m + target, z.line);
                for (String m : zoneMatches(z, true)) {
                    if (verdict.equals("accept") && z.masq && !z.masqAllowInvalid && !dropInvalid)
                        out.append("filter", "accept_to_" + z.name, m + "-m conntrack --ctstate INVALID -j DROP", z.masqLine);
                    out.append("filter", verdict + "_to_" + z.name, m + target, z.line);
                }
            }
            if (z.mtuFix)
                for (String m : zoneMatches(z, true))
                    out.append("mangle", "FORWARD", m + "-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu", z.line);
        }

        // nat
        for (Zone z : zones.values()) {
            if (z.dnat) {
                out.chain("nat", "dstnat_" + z.name);
                for (String m : zoneMatches(z, false)) out.append("nat", "PREROUTING", m + "-j dstnat_" + z.name, z.line);
            }
        }
        for (Redirect r : redirects) if (r.dnat) out.append("nat", "dstnat_" + r.zone, r.rule, r.line);
        List<String[]> natSections = natSections(problems, fw, zones);
        for (String[] n : natSections) if (n[0].equals("POSTROUTING")) out.append("nat", "POSTROUTING", n[1], Integer.parseInt(n[2]));
        for (Zone z : zones.values()) {
            if (!(z.masq || z.snat)) continue;
            out.chain("nat", "srcnat_" + z.name);
            for (String m : zoneMatches(z, true)) out.append("nat", "POSTROUTING", m + "-j srcnat_" + z.name, z.line);
            for (Redirect r : redirects) if (!r.dnat && r.zone.equals(z.name)) out.append("nat", "srcnat_" + z.name, r.rule, r.line);
            for (String[] n : natSections) if (n[0].equals("srcnat_" + z.name)) out.append("nat", n[0], n[1], Integer.parseInt(n[2]));
            if (z.masq) masquerade(out, z);
        }
        return out;
    }

    /** masq_src / masq_dest: "!" entries exclude (a RETURN first), the others are alternatives. */
    private static void masquerade(IptablesText out, Zone z) {
        String chain = "srcnat_" + z.name;
        List<String> srcPos = new ArrayList<>(), dstPos = new ArrayList<>();
        for (String s : z.masqSrc) {
            if (s.startsWith("!")) out.append("nat", chain, "-s " + s.substring(1) + " -j RETURN", z.masqLine);
            else srcPos.add(s);
        }
        for (String d : z.masqDest) {
            if (d.startsWith("!")) out.append("nat", chain, "-d " + d.substring(1) + " -j RETURN", z.masqLine);
            else dstPos.add(d);
        }
        if (srcPos.isEmpty()) srcPos.add(null);
        if (dstPos.isEmpty()) dstPos.add(null);
        for (String s : srcPos)
            for (String d : dstPos)
                out.append("nat", chain, (s == null ? "" : "-s " + s + " ") + (d == null ? "" : "-d " + d + " ") + "-j MASQUERADE", z.masqLine);
    }

    /** Matches selecting a zone's traffic: one per device ("-i dev " / "-o dev "), or per subnet. */
    private static List<String> zoneMatches(Zone z, boolean egress) {
        List<String> out = new ArrayList<>();
        for (String d : z.devices) out.add((egress ? "-o " : "-i ") + d + " ");
        for (String s : z.subnets) out.add((egress ? "-d " : "-s ") + s + " ");
        return out;
    }

    private record Redirect(boolean dnat, String zone, String rule, int line) {}

    /** The rules of one redirect (one per protocol); empty when fw4 would skip it. */
    private static List<Redirect> redirect(List<Problem> problems, Uci fw, Uci.Section s, Map<String, Zone> zones) {
        String target = s.get("target", "DNAT").toUpperCase(Locale.ROOT);
        List<String> protos = protos(s, "tcp udp");
        StringBuilder m = new StringBuilder();
        if (s.get("src_ip") != null) m.append(addr("-s", s.get("src_ip")));
        if (target.equals("DNAT")) {
            String src = s.get("src");
            if (src == null || !zones.containsKey(src)) {
                problems.add(new Problem(fw.source(s.line, s.label()), "redirect without a known src zone: ignored (fw4 skips it too)"));
                return List.of();
            }
            if (s.get("src_dip") != null) m.append(addr("-d", s.get("src_dip")));
            String dport = s.get("src_dport");
            String destIp = s.get("dest_ip");
            String destPort = s.get("dest_port", dport);
            String action = destIp != null
                    ? "-j DNAT --to-destination " + destIp + (destPort != null ? ":" + destPort : "")
                    : "-j REDIRECT" + (destPort != null ? " --to-ports " + destPort : "");
            Zone z = zones.get(src);
            z.dnat = true;
            if (s.flag("reflection", true) && destIp != null)
                problems.add(new Problem(fw.source(s.line, s.label()), "NAT reflection (hairpin) of this redirect is not translated"));
            return perProto(protos, m.toString(), null, dport, action).stream().map(r -> new Redirect(true, src, r, s.line)).toList();
        }
        if (target.equals("SNAT")) {
            String dest = s.get("dest");
            if (dest == null || !zones.containsKey(dest) || s.get("src_dip") == null) {
                problems.add(new Problem(fw.source(s.line, s.label()), "SNAT redirect needs dest zone and src_dip: ignored (fw4 skips it too)"));
                return List.of();
            }
            if (s.get("dest_ip") != null) m.append(addr("-d", s.get("dest_ip")));
            zones.get(dest).snat = true;
            String action = "-j SNAT --to-source " + s.get("src_dip") + (s.get("src_dport") != null ? ":" + s.get("src_dport") : "");
            return perProto(protos, m.toString(), null, s.get("dest_port"), action).stream().map(r -> new Redirect(false, dest, r, s.line)).toList();
        }
        problems.add(new Problem(fw.source(s.line, s.label()), "redirect target " + target + " is not translated"));
        return List.of();
    }

    /** config nat: src (the egress zone), src_ip, dest_ip, proto, dest_port, target SNAT|MASQUERADE|ACCEPT, snat_ip, device. */
    private static List<String[]> natSections(List<Problem> problems, Uci fw, Map<String, Zone> zones) {
        List<String[]> out = new ArrayList<>();
        for (Uci.Section s : fw.sections("nat")) {
            if (!s.flag("enabled", true) || "ipv6".equals(s.get("family"))) continue;
            String target = s.get("target", "").toUpperCase(Locale.ROOT);
            String action = switch (target) {
                case "SNAT" -> {
                    if (s.get("snat_ip") == null) throw fw.error(s.line, "nat with target SNAT needs snat_ip");
                    yield "-j SNAT --to-source " + s.get("snat_ip") + (s.get("snat_port") != null ? ":" + s.get("snat_port") : "");
                }
                case "MASQUERADE" -> "-j MASQUERADE";
                case "ACCEPT" -> "-j ACCEPT";
                default -> throw fw.error(s.line, "nat target must be SNAT, MASQUERADE or ACCEPT, not '" + s.get("target") + "'");
            };
            StringBuilder m = new StringBuilder();
            if (s.get("device") != null) m.append("-o ").append(s.get("device")).append(' ');
            if (s.get("src_ip") != null) m.append(addr("-s", s.get("src_ip")));
            if (s.get("dest_ip") != null) m.append(addr("-d", s.get("dest_ip")));
            String src = s.get("src");
            String chain = "POSTROUTING";
            if (src != null && !src.equals("*")) {
                Zone z = zones.get(src);
                if (z == null) throw fw.error(s.option("src").line(), "nat: no zone '" + src + "'");
                z.snat = true;
                chain = "srcnat_" + src;
            }
            for (String r : perProto(protos(s, "all"), m.toString(), null, s.get("dest_port"), action))
                out.add(new String[] {chain, r, Integer.toString(s.line)});
        }
        return out;
    }

    /** config rule: src, dest, src_ip, dest_ip, proto, src_port, dest_port, target, family, icmp_type. */
    private static void rule(List<Problem> problems, Uci fw, Uci.Section s, Map<String, Zone> zones, Map<String, List<String[]>> chainRules) {
        if ("ipv6".equals(s.get("family"))) return;
        String src = s.get("src"), dest = s.get("dest");
        for (String[] zk : new String[][] {{"src", src}, {"dest", dest}})
            if (zk[1] != null && !zk[1].equals("*") && !zones.containsKey(zk[1])) {
                problems.add(new Problem(fw.source(s.option(zk[0]).line(), s.label()), "rule refers to unknown zone '" + zk[1] + "': ignored (fw4 skips it too)"));
                return;
            }
        String target = s.get("target", "drop").toLowerCase(Locale.ROOT);
        if (!List.of("accept", "drop", "reject").contains(target)) {
            problems.add(new Problem(fw.source(s.line, s.label() + (s.get("name") != null ? " " + s.get("name") : "")),
                    "rule target " + target.toUpperCase(Locale.ROOT) + " is not translated"));
            return;
        }
        for (String unsupported : new String[] {"ipset", "start_time", "stop_time", "start_date", "stop_date", "weekdays", "monthdays", "mark", "src_mac", "helper"})
            if (s.has(unsupported))
                problems.add(new Problem(fw.source(s.line, s.label()), "rule option " + unsupported + " is not translated: the rule is taken to match without it"));
        String chain;
        if (src != null) chain = src.equals("*") ? (dest != null ? "FORWARD" : "INPUT") : (dest != null ? "forward_" : "input_") + src;
        else if (dest != null) chain = dest.equals("*") ? "OUTPUT" : "output_" + dest;
        else chain = "OUTPUT";
        String jump;
        if (dest != null && !dest.equals("*")) jump = "-j " + target + "_to_" + dest;
        else jump = switch (target) {
            case "accept" -> "-j ACCEPT";
            case "drop" -> "-j DROP";
            default -> "-j handle_reject";
        };
        StringBuilder m = new StringBuilder();
        // in the zone chain of a forward rule the egress zone is checked by the jump target; src '*' needs it spelled out
        if (s.get("src_ip") != null) m.append(addr("-s", s.get("src_ip")));
        if (s.get("dest_ip") != null) m.append(addr("-d", s.get("dest_ip")));
        if (s.has("icmp_type"))
            problems.add(new Problem(fw.source(s.line, s.label()), "icmp_type is not translated: the rule matches every ICMP type"));
        for (String r : perProto(protos(s, "tcp udp"), m.toString(), s.get("src_port"), s.get("dest_port"), jump))
            chainRules.computeIfAbsent(chain, k -> new ArrayList<>()).add(new String[] {r, Integer.toString(s.line)});
    }

    /** One rule per protocol; ports only for tcp and udp (fw4 ignores them for others). */
    private static List<String> perProto(List<String> protos, String match, String sport, String dport, String action) {
        List<String> out = new ArrayList<>();
        for (String p : protos) {
            StringBuilder r = new StringBuilder(match);
            if (!p.equals("all")) r.append("-p ").append(p).append(' ');
            if ((p.equals("tcp") || p.equals("udp")) && (sport != null || dport != null)) {
                if (sport != null) r.append(ports("--sport", "--sports", p, sport));
                if (dport != null) r.append(ports("--dport", "--dports", p, dport));
            }
            out.add(r + action);
        }
        return out;
    }

    private static String ports(String single, String multi, String proto, String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.trim().split("[\\s,]+")) if (!part.isEmpty()) parts.add(part.replace('-', ':'));
        if (parts.size() == 1) return "-m " + proto + " " + single + " " + parts.get(0) + " ";
        return "-m multiport " + multi + " " + String.join(",", parts) + " ";
    }

    private static List<String> protos(Uci.Section s, String dflt) {
        String text = s.get("proto", dflt).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String p : text.split("[\\s,]+")) {
            if (p.isEmpty()) continue;
            if (p.equals("all") || p.equals("any") || p.equals("*")) return List.of("all");
            if (p.equals("icmpv6") || p.equals("ipv6-icmp")) continue;
            out.add(p);
        }
        return out.isEmpty() ? List.of("all") : out;
    }

    private static String addr(String flag, String text) {
        String t = text.trim();
        boolean not = t.startsWith("!");
        if (not) t = t.substring(1).trim();
        return (not ? "! " : "") + flag + " " + t + " ";
    }

    private static String iptablesWildcard(String dev) { return dev.endsWith("*") ? dev.substring(0, dev.length() - 1) + "+" : dev; }

    private static String policy(Uci fw, Uci.Section s, String key, String dflt) {
        if (s == null || s.get(key) == null) return dflt;
        String p = s.get(key).toLowerCase(Locale.ROOT);
        if (!List.of("accept", "drop", "reject").contains(p))
            throw fw.error(s.option(key).line(), key + " must be ACCEPT, DROP or REJECT, not '" + s.get(key) + "'");
        return p;
    }
}
