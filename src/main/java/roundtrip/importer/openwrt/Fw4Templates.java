package roundtrip.importer.openwrt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.importer.openwrt.Fw4Options.Limit;
import roundtrip.importer.openwrt.Fw4Options.Mark;
import roundtrip.importer.openwrt.Fw4Translation.Addr;
import roundtrip.importer.openwrt.Fw4Translation.Group;
import roundtrip.importer.openwrt.Fw4Translation.Include;
import roundtrip.importer.openwrt.Fw4Translation.IpSet;
import roundtrip.importer.openwrt.Fw4Translation.Spec;
import roundtrip.importer.openwrt.Fw4Translation.Zone;
import roundtrip.importer.openwrt.Fw4Translation.ZoneMatch;
import roundtrip.importer.openwrt.Fw4Options.Stamp;
import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.netfilter.nft.NftJsonReader;
import roundtrip.netfilter.nft.NftRuleset;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * firewall4's templates (ruleset.uc, rule.uc, redirect.uc, zone-jump/-match/-verdict/-drop-invalid/-masq/-mssfix.uc)
 * for what {@link Fw4Translation} read: table inet fw4 as {@code nft -j list ruleset} lists it, every rule quoted at
 * the UCI line it comes from. Left out because they decide no verdict: the flowtable and its flow offload rule,
 * conntrack helper objects and helper assignment.
 */
final class Fw4Templates {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;
    private static final String TABLE = Fw4Translation.TABLE;
    private final Fw4Translation t;

    Fw4Templates(Fw4Translation t) { this.t = t; }


    private final ArrayNode items = J.arrayNode();
    private final Map<JsonNode, NftJsonReader.RuleOrigin> origins = new IdentityHashMap<>();
    private final Map<String, List<ObjectNode>> chainRules = new LinkedHashMap<>();

    private int defaultsLine() { return t.defaultsSection == null ? 0 : t.defaultsSection.line; }

    /** templates/ruleset.uc, without the helper, flowtable and ct helper parts (they decide no verdict). */
    NftRuleset render() {
        ObjectNode table = J.objectNode();
        table.putObject("table").put("family", "inet").put("name", TABLE);
        items.add(table);
        for (IpSet s : t.ipsets) items.add(setItem(s));
        for (Zone z : t.zones)
            if (z.logLimit != null) {
                ObjectNode l = J.objectNode();
                l.putObject("limit").put("family", "inet").put("table", TABLE).put("name", z.name + ".log_limit")
                        .put("rate", z.logLimit.rate()).put("per", z.logLimit.unit()).put("burst", 5).put("unit", "packets");
                items.add(l);
            }
        userIncludes();

        int dl = defaultsLine();
        // input
        base("input", "filter", "input", 0, policyAsDrop(t.dInput));
        add("input", dl, "!fw4: Accept traffic from loopback", match("==", meta("iif"), J.textNode("lo")), verdict("accept"));
        add("input", dl, "!fw4: Handle inbound flows", ctStateVmap());
        if (t.synflood)
            add("input", dl, "!fw4: Rate limit TCP syn packets", synMatch(), jump("syn_flood"));
        for (Spec r : rulesOf("input")) rule(r, null);
        for (Zone z : t.zones) for (ZoneMatch m : z.matchRules) zoneJump(z, m, "input");
        if (t.dInput.equals("reject")) add("input", dl, null, jump("handle_reject"));

        base("forward", "filter", "forward", 0, policyAsDrop(t.dForward));
        add("forward", dl, "!fw4: Handle forwarded flows", ctStateVmap());
        for (Spec r : rulesOf("forward"))
            rule(r, r.src != null && r.src.zone() != null && r.src.zone().logLimit != null ? r.src.zone() : r.dest == null ? null : r.dest.zone());
        for (Zone z : t.zones) for (ZoneMatch m : z.matchRules) zoneJump(z, m, "forward");
        if (t.dForward.equals("reject")) add("forward", dl, null, jump("handle_reject"));

        base("output", "filter", "output", 0, policyAsDrop(t.dOutput));
        add("output", dl, "!fw4: Accept traffic towards loopback", match("==", meta("oif"), J.textNode("lo")), verdict("accept"));
        add("output", dl, "!fw4: Handle outbound flows", ctStateVmap());
        for (Spec r : rulesOf("output")) rule(r, null);
        for (Zone z : t.zones) for (ZoneMatch m : z.matchRules) zoneJump(z, m, "output");
        if (t.dOutput.equals("reject")) add("output", dl, null, jump("handle_reject"));

        chain("handle_reject");
        add("handle_reject", dl, "!fw4: Reject TCP traffic", match("==", meta("l4proto"), J.textNode("tcp")), reject(t.tcpRejectCode));
        add("handle_reject", dl, "!fw4: Reject any other traffic", reject(t.anyRejectCode));
        if (t.synflood) {
            chain("syn_flood");
            ObjectNode lim = J.objectNode();
            lim.putObject("limit").put("rate", t.synfloodRate.rate()).put("burst", t.synfloodBurst == null ? 5 : t.synfloodBurst)
                    .put("per", t.synfloodRate.unit());
            add("syn_flood", dl, "!fw4: Accept SYN packets below rate-limit", lim, verdict("return"));
            add("syn_flood", dl, "!fw4: Drop excess packets", verdict("drop"));
        }

        for (Zone z : t.zones) {
            String n = z.name;
            chain("input_" + n);
            for (Spec r : rulesOf("input_" + n)) rule(r, z);
            if (z.dflags.contains("dnat")) add("input_" + n, z.line, "!fw4: Accept port redirections", ctStatusDnat(), verdict("accept"));
            add("input_" + n, z.line, null, jump(z.input + "_from_" + n));
            chain("output_" + n);
            for (Spec r : rulesOf("output_" + n)) rule(r, z);
            add("output_" + n, z.line, null, jump(z.output + "_to_" + n));
            chain("forward_" + n);
            for (Spec r : rulesOf("forward_" + n)) rule(r, z);
            if (z.dflags.contains("dnat")) add("forward_" + n, z.line, "!fw4: Accept port forwards", ctStatusDnat(), verdict("accept"));
            add("forward_" + n, z.line, null, jump(z.forward + "_to_" + n));
            if (!t.dForward.equals("accept") && (z.log & 1) != 0) {
                List<JsonNode> e = new ArrayList<>();
                if (z.logLimit != null) e.add(namedLimit(z));
                e.add(log(t.dForward + " " + n + " forward: "));
                add("forward_" + n, z.line, null, e.toArray(new JsonNode[0]));
            }
            for (String v : List.of("accept", "reject", "drop")) {
                if (z.sflags.contains(v)) {
                    chain(v + "_from_" + n);
                    for (ZoneMatch m : z.matchRules) zoneVerdict(z, m, false, v);
                }
                if (z.dflags.contains(v)) {
                    chain(v + "_to_" + n);
                    for (ZoneMatch m : z.matchRules) {
                        if (!t.dropInvalid && v.equals("accept") && (z.masq || z.masq6) && !z.masqAllowInvalid) dropInvalid(z, m);
                        zoneVerdict(z, m, true, v);
                    }
                }
            }
        }

        base("dstnat", "nat", "prerouting", -100, "accept");
        for (Zone z : t.zones) if (z.dflags.contains("dnat")) for (ZoneMatch m : z.matchRules) zoneJump(z, m, "dstnat");
        base("srcnat", "nat", "postrouting", 100, "accept");
        for (Spec r : redirectsOf("srcnat")) redirectRule(r, null);
        for (Zone z : t.zones) if (z.dflags.contains("snat")) for (ZoneMatch m : z.matchRules) zoneJump(z, m, "srcnat");
        for (Zone z : t.zones) {
            if (z.dflags.contains("dnat")) {
                chain("dstnat_" + z.name);
                for (Spec r : redirectsOf("dstnat_" + z.name)) redirectRule(r, z);
            }
            if (z.dflags.contains("snat")) {
                chain("srcnat_" + z.name);
                for (Spec r : redirectsOf("srcnat_" + z.name)) redirectRule(r, z);
                if (z.masq) for (Group sa : z.masq4Src) for (Group da : z.masq4Dest) masquerade(z, 4, sa, da);
                if (z.masq6) for (Group sa : z.masq6Src) for (Group da : z.masq6Dest) masquerade(z, 6, sa, da);
            }
        }

        base("raw_prerouting", "filter", "prerouting", -300, "accept");
        base("raw_output", "filter", "output", -300, "accept");
        for (Zone z : t.zones) {
            if (!z.dflags.contains("notrack")) continue;
            for (ZoneMatch m : z.matchRules) {
                List<String> devs = m.devicesPos() == null ? null : Fw4Translation.nullIfEmpty(m.devicesPos().stream().filter(d -> !d.equals("lo")).toList());
                List<Addr> nets = m.subnetsPos() == null ? null : Fw4Translation.nullIfEmpty(m.subnetsPos().stream().filter(a -> !loopback(a)).toList());
                if (m.devicesNeg() != null || m.subnetsNeg() != null || devs != null || nets != null)
                    zoneJumpTo("raw_prerouting", z, withPos(m, devs, nets), "notrack");
                List<String> ldevs = m.devicesPos() == null ? null : Fw4Translation.nullIfEmpty(m.devicesPos().stream().filter(d -> d.equals("lo")).toList());
                List<Addr> lnets = m.subnetsPos() == null ? null : Fw4Translation.nullIfEmpty(m.subnetsPos().stream().filter(Fw4Templates::loopback).toList());
                if (ldevs != null || lnets != null) zoneJumpTo("raw_output", z, withPos(m, ldevs, lnets), "notrack");
            }
        }
        for (Zone z : t.zones) {
            if (!z.dflags.contains("notrack")) continue;
            chain("notrack_" + z.name);
            for (Spec r : rulesOf("notrack_" + z.name)) rule(r, z);
        }

        base("mangle_prerouting", "filter", "prerouting", -150, "accept");
        for (Spec r : rulesOf("mangle_prerouting")) rule(r, null);
        base("mangle_postrouting", "filter", "postrouting", -150, "accept");
        for (Spec r : rulesOf("mangle_postrouting")) rule(r, null);
        for (Zone z : t.zones) if (z.mtuFix) for (ZoneMatch m : z.matchRules) mssFix(z, m, true);
        base("mangle_input", "filter", "input", -150, "accept");
        for (Spec r : rulesOf("mangle_input")) rule(r, null);
        base("mangle_output", "route", "output", -150, "accept");
        for (Spec r : rulesOf("mangle_output")) rule(r, null);
        base("mangle_forward", "filter", "forward", -150, "accept");
        for (Spec r : rulesOf("mangle_forward")) rule(r, null);
        for (Zone z : t.zones) if (z.mtuFix) for (ZoneMatch m : z.matchRules) mssFix(z, m, false);

        for (Map.Entry<String, List<ObjectNode>> e : chainRules.entrySet()) items.addAll(e.getValue());
        return NftJsonReader.readGenerated(t.fw.file(), items, origins::get);
    }

    private static boolean loopback(Addr a) {
        String cidr = a.a().cidr();
        return cidr.startsWith("127.") || cidr.equals("::1") || cidr.equals("::1/128");
    }

    private static ZoneMatch withPos(ZoneMatch m, List<String> devs, List<Addr> nets) {
        return new ZoneMatch(m.family(), devs, m.devicesNeg(), m.devicesNegWildcard(), nets, m.subnetsNeg(), m.subnetsMasked());
    }

    private List<Spec> rulesOf(String chain) { return t.rules.stream().filter(r -> chain.equals(r.chain)).toList(); }

    private List<Spec> redirectsOf(String chain) { return t.redirects.stream().filter(r -> chain.equals(r.chain)).toList(); }

    private static String policyAsDrop(String p) { return p.equals("reject") ? "drop" : p; }

    /**
     * The includes of /etc/config/firewall: their files are on the router, not in its configuration, so every packet
     * that passes where one is included has an uncertain result. (fw4 also includes /etc/nftables.d/*.nft, which is not
     * configuration either; a stock router has only commented examples there, and it is taken to be empty, like any
     * other rule a package or a script adds at run time.)
     */
    private void userIncludes() {
        for (Include inc : t.includes) {
            Problem p = new Problem(t.fw.source(inc.line(), "config include (" + inc.path() + ")"),
                    Message.of(inc.type().equals("script") ? Sentences.INCLUDE_SCRIPT : Sentences.INCLUDE_NFT_FILE, inc.path()));
            includeMarkers.add(new Object[] {inc, p});   // reported by the rules that mark where it acts
        }
    }

    /** per include: {Include, Problem}; base chains get a marker rule that makes what passes uncertain */
    private final List<Object[]> includeMarkers = new ArrayList<>();

    private void markIncludes(String chain, boolean base) {
        for (Object[] m : includeMarkers) {
            Include inc = (Include) m[0];
            boolean here = inc.chain() != null ? inc.chain().equals(chain) : base;
            if (!here) continue;
            ObjectNode rule = ruleNode(chain, new JsonNode[] {counter()}, "include " + inc.path());
            origins.put(rule.get("rule"), new NftJsonReader.RuleOrigin(t.fw.source(inc.line(), "include \"" + inc.path() + "\""), (Problem) m[1]));
            chainRules.get(chain).add(rule);
        }
    }

    private void base(String name, String type, String hook, int prio, String policy) {
        ObjectNode c = J.objectNode();
        c.putObject("chain").put("family", "inet").put("table", TABLE).put("name", name).put("type", type).put("hook", hook)
                .put("prio", prio).put("policy", policy);
        items.add(c);
        chainRules.put(name, new ArrayList<>());
        markIncludes(name, true);
    }

    private void chain(String name) {
        ObjectNode c = J.objectNode();
        c.putObject("chain").put("family", "inet").put("table", TABLE).put("name", name);
        items.add(c);
        chainRules.put(name, new ArrayList<>());
        markIncludes(name, false);
    }

    private ObjectNode ruleNode(String chain, JsonNode[] exprs, String comment) {
        ObjectNode item = J.objectNode();
        ObjectNode r = item.putObject("rule");
        r.put("family", "inet").put("table", TABLE).put("chain", chain);
        ArrayNode e = r.putArray("expr");
        for (JsonNode x : exprs) e.add(x);
        if (comment != null) r.put("comment", comment);
        return item;
    }

    private void add(String chain, int line, String comment, JsonNode... exprs) { add(chain, line, null, comment, exprs); }

    private void add(String chain, int line, Problem notSimulated, String comment, JsonNode... exprs) {
        ObjectNode item = ruleNode(chain, exprs, comment);
        origins.put(item.get("rule"), new NftJsonReader.RuleOrigin(t.fw.source(line, ""), notSimulated));
        List<ObjectNode> l = chainRules.get(chain);
        if (l == null) throw new IllegalStateException("chain " + chain + " is rendered before it is declared");
        l.add(item);
    }

    // ------------------------------------------------------------------------------------------- templates

    private void zoneJump(Zone z, ZoneMatch m, String direction) {
        String chain = switch (direction) {
            case "dstnat" -> "dstnat";
            case "srcnat" -> "srcnat";
            default -> direction;
        };
        zoneJumpTo(chain, z, m, direction);
    }

    /** zone-jump.uc */
    private void zoneJumpTo(String chain, Zone z, ZoneMatch m, String direction) {
        List<JsonNode> e = new ArrayList<>();
        if (m.family() != 0) e.add(nfproto(m.family()));
        zoneMatch(e, m, direction.equals("output") || direction.equals("srcnat"));
        e.add(jump(direction + "_" + z.name));
        add(chain, z.line, "!fw4: Handle " + z.name + " " + nfprotoHuman(m.family()) + " " + direction + " traffic", e.toArray(new JsonNode[0]));
    }

    /** zone-match.uc */
    private void zoneMatch(List<JsonNode> e, ZoneMatch m, boolean egress) {
        String key = egress ? "oifname" : "iifname";
        if (m.devicesPos() != null) e.add(match("==", meta(key), set(m.devicesPos(), false, J::textNode)));
        if (m.devicesNeg() != null) e.add(match("!=", meta(key), set(m.devicesNeg(), false, J::textNode)));
        if (m.devicesNegWildcard() != null) for (String w : m.devicesNegWildcard()) e.add(match("!=", meta(key), J.textNode(w)));
        String ip = m.family() == 6 ? "ip6" : "ip", field = egress ? "daddr" : "saddr";
        if (m.subnetsPos() != null) e.add(match("==", payload(ip, field), set(Fw4Translation.cidrs(m.subnetsPos()), false, Fw4Templates::addressValue)));
        if (m.subnetsNeg() != null) e.add(match("!=", payload(ip, field), set(Fw4Translation.cidrs(m.subnetsNeg()), false, Fw4Templates::addressValue)));
        if (m.subnetsMasked() != null) for (Addr a : m.subnetsMasked()) e.add(masked(ip, field, a));
    }

    /** zone-verdict.uc */
    private void zoneVerdict(Zone z, ZoneMatch m, boolean egress, String verdict) {
        String chain = verdict + (egress ? "_to_" : "_from_") + z.name;
        List<JsonNode> e = new ArrayList<>();
        if (m.family() != 0) e.add(nfproto(m.family()));
        zoneMatch(e, m, egress);
        String prefix = verdict + " " + z.name + " " + (egress ? "out" : "in") + ": ";
        boolean logged = !verdict.equals("accept") && (z.log & 1) != 0;
        if (logged && z.logLimit != null) {
            List<JsonNode> l = new ArrayList<>(e);
            l.add(namedLimit(z));
            l.add(log(prefix));
            add(chain, z.line, null, l.toArray(new JsonNode[0]));
            logged = false;
        }
        if (z.counter) e.add(counter());
        if (logged) e.add(log(prefix));
        String comment = "!fw4: " + verdict + " " + z.name + " " + nfprotoHuman(m.family()) + " traffic";
        e.add(verdict.equals("reject") ? jump("handle_reject") : verdict(verdict));
        add(chain, z.line, comment, e.toArray(new JsonNode[0]));
    }

    /** zone-drop-invalid.uc: fw4's "Prevent NAT leakage", quoted at the zone's masq option */
    private void dropInvalid(Zone z, ZoneMatch m) {
        String chain = "accept_to_" + z.name;
        List<JsonNode> e = new ArrayList<>();
        if (z.masq ^ z.masq6) e.add(nfproto(z.masq ? 4 : 6));
        zoneMatch(e, m, true);
        e.add(match("in", ct("state"), J.textNode("invalid")));
        String prefix = "drop " + z.name + " invalid ct state: ";
        if ((z.log & 1) != 0 && z.logLimit != null) {
            List<JsonNode> l = new ArrayList<>(e);
            l.add(namedLimit(z));
            l.add(log(prefix));
            add(chain, z.masqLine, null, l.toArray(new JsonNode[0]));
            if (z.counter) e.add(counter());
        } else {
            if (z.counter) e.add(counter());
            if ((z.log & 1) != 0) e.add(log(prefix));
        }
        e.add(verdict("drop"));
        add(chain, z.masqLine, "!fw4: Prevent NAT leakage", e.toArray(new JsonNode[0]));
    }

    /** zone-masq.uc, quoted at the zone's masq option */
    private void masquerade(Zone z, int family, Group saddrs, Group daddrs) {
        List<JsonNode> e = new ArrayList<>();
        e.add(nfproto(family));
        String ip = family == 6 ? "ip6" : "ip";
        if (saddrs.pos() != null) e.add(match("==", payload(ip, "saddr"), set(Fw4Translation.cidrs(saddrs.pos()), false, Fw4Templates::addressValue)));
        if (saddrs.neg() != null) e.add(match("!=", payload(ip, "saddr"), set(Fw4Translation.cidrs(saddrs.neg()), false, Fw4Templates::addressValue)));
        if (saddrs.masked() != null) for (Addr a : saddrs.masked()) e.add(masked(ip, "saddr", a));
        if (daddrs.pos() != null) e.add(match("==", payload(ip, "daddr"), set(Fw4Translation.cidrs(daddrs.pos()), false, Fw4Templates::addressValue)));
        if (daddrs.neg() != null) e.add(match("!=", payload(ip, "daddr"), set(Fw4Translation.cidrs(daddrs.neg()), false, Fw4Templates::addressValue)));
        if (daddrs.masked() != null) for (Addr a : daddrs.masked()) e.add(masked(ip, "daddr", a));
        e.add(single("masquerade", J.nullNode()));
        add("srcnat_" + z.name, z.masqLine, "!fw4: Masquerade " + nfprotoHuman(family) + " " + z.name + " traffic", e.toArray(new JsonNode[0]));
    }

    /** zone-mssfix.uc, quoted at the zone's mtu_fix option */
    private void mssFix(Zone z, ZoneMatch m, boolean egress) {
        List<JsonNode> e = new ArrayList<>();
        if (m.family() != 0) e.add(nfproto(m.family()));
        zoneMatch(e, m, egress);
        ObjectNode flags = J.objectNode();
        flags.putArray("&").add(payload("tcp", "flags")).add(J.arrayNode().add("syn").add("fin").add("rst"));
        e.add(match("==", flags, J.textNode("syn")));
        ObjectNode mangle = J.objectNode();
        ObjectNode mv = mangle.putObject("mangle");
        mv.putObject("key").putObject("tcp option").put("name", "maxseg").put("field", "size");
        mv.putObject("value").putObject("rt").put("key", "mtu");
        e.add(mangle);
        if ((z.log & 2) != 0) e.add(log("MSSFIX " + z.name + " out: "));
        add(egress ? "mangle_postrouting" : "mangle_forward", z.mtuFixLine, "!fw4: Zone " + z.name + " " + nfprotoHuman(m.family()) + " "
                + (egress ? "egress" : "ingress") + " MTU fixing", e.toArray(new JsonNode[0]));
    }

    /** rule.uc */
    private void rule(Spec r, Zone zone) {
        List<JsonNode> e = new ArrayList<>();
        if (r.family != 0 && !r.hasAddrs) e.add(nfproto(r.family));
        if (!r.proto.any() && !r.hasPorts && r.icmpTypes == null && r.icmpCodes == null)
            e.add(match("==", meta("l4proto"), l4proto(r.family, r.proto.name())));
        if (r.iifnames != null) e.add(match("==", meta("iifname"), set(r.iifnames, false, J::textNode)));
        if (r.oifnames != null) e.add(match("==", meta("oifname"), set(r.oifnames, false, J::textNode)));
        commonMatches(e, r);
        if (r.icmpTypes != null)
            e.add(match("==", payload(r.family == 4 ? "icmp" : "icmpv6", "type"), set(r.icmpTypes, false, J::numberNode)));
        if (r.icmpCodes != null) {
            String p = r.family == 4 ? "icmp" : "icmpv6";
            ObjectNode left = J.objectNode();
            left.putArray("concat").add(payload(p, "type")).add(payload(p, "code"));
            List<JsonNode> codes = new ArrayList<>();
            for (int[] c : r.icmpCodes) {
                ObjectNode cc = J.objectNode();
                cc.putArray("concat").add(c[0]).add(c[1]);
                codes.add(cc);
            }
            e.add(match("==", left, set(codes, true, x -> x)));
        }
        timeAndMarks(e, r);
        if (r.dscp != null) e.add(match(r.dscp.invert() ? "!=" : "==", payload(r.family == 6 ? "ip6" : "ip", "dscp"), J.numberNode(r.dscp.dscp())));
        ipsetMatch(e, r);
        String comment = "!fw4: " + r.name;
        counterAndLog(e, r, zone);
        if ("mark".equals(r.target)) e.add(markSet(r.setXmark));
        else if ("dscp".equals(r.target)) e.add(dscpSet(r.family, r.setDscp.dscp()));
        else if ("notrack".equals(r.target)) e.add(single("notrack", J.nullNode()));
        else if (r.jumpChain != null) e.add(jump(r.jumpChain));
        else if (r.target != null) e.add(verdict(r.target));
        add(r.chain, r.line, r.notSimulated, comment, e.toArray(new JsonNode[0]));
    }

    /**
     * rule.uc and redirect.uc alike: a log with a limit is a rule of its own before the section's (the same matches, the
     * limit, the log), else the counter and the log go into the section's rule.
     */
    private void counterAndLog(List<JsonNode> e, Spec r, Zone zone) {
        if (r.log != null && (r.logLimit != null || zone != null && zone.logLimit != null)) {
            List<JsonNode> l = new ArrayList<>(e);
            l.add(r.logLimit != null ? limit(r.logLimit, null) : namedLimit(zone));
            l.add(log(r.log));
            add(r.chain, r.line, r.notSimulated, null, l.toArray(new JsonNode[0]));
            if (r.counter) e.add(counter());
        } else {
            if (r.counter) e.add(counter());
            if (r.log != null) e.add(log(r.log));
        }
    }

    /** redirect.uc (redirects, their reflection, and nat sections) */
    private void redirectRule(Spec r, Zone zone) {
        List<JsonNode> e = new ArrayList<>();
        if (r.family != 0 && !r.hasAddrs) e.add(nfproto(r.family));
        // a port to rewrite to without a port to match: fw4 writes no protocol, which nft refuses ("transport protocol
        // mapping is only valid after transport protocol match"); the section's protocol is written as for rules without ports
        boolean portOnly = r.rport != null && r.sportsPos == null && r.sportsNeg == null && r.dportsPos == null && r.dportsNeg == null;
        if (!r.proto.any() && (!r.hasPorts || portOnly))
            e.add(match("==", meta("l4proto"), J.textNode("icmp".equals(r.proto.name()) && r.family == 6 ? "ipv6-icmp" : r.proto.name())));
        if (r.device != null) e.add(match("==", meta("oifname"), J.textNode(r.device)));
        commonMatches(e, r);
        timeAndMarks(e, r);
        ipsetMatch(e, r);
        String comment = "!fw4: " + r.name;
        counterAndLog(e, r, zone);
        switch (r.target) {
            case "redirect" -> {
                ObjectNode v = J.objectNode();
                if (r.rport != null) v.set("port", portValue(r.rport.text()));
                e.add(single("redirect", r.rport == null ? J.nullNode() : v));
            }
            case "accept" -> e.add(verdict("accept"));
            case "masquerade" -> e.add(single("masquerade", J.nullNode()));
            default -> {
                ObjectNode v = J.objectNode();
                if (r.raddr != null) {
                    v.put("family", r.raddr.isV4() ? "ip" : "ip6");
                    v.set("addr", r.raddr.isRange() ? addressValue(r.raddr.cidr()) : J.textNode(r.raddr.network()));
                }
                if (r.rport != null) v.set("port", portValue(r.rport.text()));
                e.add(single(r.target, v));
            }
        }
        add(r.chain, r.line, r.notSimulated, comment, e.toArray(new JsonNode[0]));
    }

    /** the address, port and MAC matches rule.uc and redirect.uc share */
    private static void commonMatches(List<JsonNode> e, Spec r) {
        String ip = r.family == 6 ? "ip6" : "ip";
        if (r.saddrsPos != null) e.add(match("==", payload(ip, "saddr"), set(r.saddrsPos, false, Fw4Templates::addressValue)));
        if (r.saddrsNeg != null) e.add(match("!=", payload(ip, "saddr"), set(r.saddrsNeg, false, Fw4Templates::addressValue)));
        if (r.saddrsMasked != null) for (Addr a : r.saddrsMasked) e.add(masked(ip, "saddr", a));
        if (r.daddrsPos != null) e.add(match("==", payload(ip, "daddr"), set(r.daddrsPos, false, Fw4Templates::addressValue)));
        if (r.daddrsNeg != null) e.add(match("!=", payload(ip, "daddr"), set(r.daddrsNeg, false, Fw4Templates::addressValue)));
        if (r.daddrsMasked != null) for (Addr a : r.daddrsMasked) e.add(masked(ip, "daddr", a));
        String p = r.proto.name();
        if (r.sportsPos != null) e.add(match("==", payload(p, "sport"), set(r.sportsPos, false, Fw4Templates::portValue)));
        if (r.sportsNeg != null) e.add(match("!=", payload(p, "sport"), set(r.sportsNeg, false, Fw4Templates::portValue)));
        if (r.dportsPos != null) e.add(match("==", payload(p, "dport"), set(r.dportsPos, false, Fw4Templates::portValue)));
        if (r.dportsNeg != null) e.add(match("!=", payload(p, "dport"), set(r.dportsNeg, false, Fw4Templates::portValue)));
        if (r.smacsPos != null) e.add(match("==", payload("ether", "saddr"), set(r.smacsPos, false, J::textNode)));
        if (r.smacsNeg != null) e.add(match("!=", payload("ether", "saddr"), set(r.smacsNeg, false, J::textNode)));
    }

    /** helper, limit, date and time, weekdays and mark matches, in the order of rule.uc and redirect.uc */
    private static void timeAndMarks(List<JsonNode> e, Spec r) {
        if (r.helper != null) e.add(match(r.helper.invert() ? "!=" : "==", ct("helper"), J.textNode(r.helper.name())));
        if (r.limit != null) e.add(limit(r.limit, r.limitBurst));
        if (r.startDate != null && r.stopDate != null) e.add(match("==", meta("time"), range(J.textNode(stamp(r.startDate)), J.textNode(stamp(r.stopDate)))));
        else if (r.startDate != null) e.add(match(">=", meta("time"), J.textNode(stamp(r.startDate))));
        else if (r.stopDate != null) e.add(match("<=", meta("time"), J.textNode(stamp(r.stopDate))));
        if (r.startTime != null && r.stopTime != null) e.add(match("==", meta("hour"), range(J.textNode(clock(r.startTime)), J.textNode(clock(r.stopTime)))));
        else if (r.startTime != null) e.add(match(">=", meta("hour"), J.textNode(clock(r.startTime))));
        else if (r.stopTime != null) e.add(match("<=", meta("hour"), J.textNode(clock(r.stopTime))));
        if (r.weekdays != null) e.add(match(r.weekdays.invert() ? "!=" : "==", meta("day"), set(r.weekdays.days(), false, J::textNode)));
        if (r.mark != null) {
            if (r.mark.mask() < 0xffffffffL) {
                ObjectNode left = J.objectNode();
                left.putArray("&").add(meta("mark")).add(r.mark.mask());
                e.add(match(r.mark.invert() ? "!=" : "==", left, J.numberNode(r.mark.mark())));
            } else {
                e.add(match(r.mark.invert() ? "!=" : "==", meta("mark"), J.numberNode(r.mark.mark())));
            }
        }
    }

    private static void ipsetMatch(List<JsonNode> e, Spec r) {
        if (r.ipset == null || r.ipsetFields == null) return;
        JsonNode left;
        if (r.ipsetFields.size() == 1) {
            left = field(r.ipsetFields.get(0));
        } else {
            ObjectNode c = J.objectNode();
            ArrayNode parts = c.putArray("concat");
            for (String f : r.ipsetFields) parts.add(field(f));
            left = c;
        }
        e.add(match(r.ipset.invert() ? "!=" : "==", left, J.textNode("@" + r.ipset.name())));
    }

    private static JsonNode field(String f) {
        String[] p = f.split(" ");
        return payload(p[0], p[1]);
    }

    /** fw4.datestamp: "YYYY-MM-DD HH:MM:SS" (the time is always there once parse_date has read it) */
    private static String stamp(Stamp s) {
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", s.year(), s.month(), s.day(), s.hour(), s.min(), s.sec());
    }

    private static String clock(Stamp s) { return String.format("%02d:%02d:%02d", s.hour(), s.min(), s.sec()); }

    private ObjectNode setItem(IpSet s) {
        ObjectNode item = J.objectNode();
        ObjectNode b = item.putObject("set");
        b.put("family", "inet").put("table", TABLE).put("name", s.name());
        if (s.types().size() == 1) b.put("type", s.types().get(0));
        else {
            ArrayNode t = b.putArray("type");
            for (String x : s.types()) t.add(x);
        }
        if (!s.flags().isEmpty()) {
            ArrayNode f = b.putArray("flags");
            for (String x : s.flags()) f.add(x);
        }
        if (s.maxelem() != null && s.maxelem() > 0) b.put("size", s.maxelem());
        if (s.timeout() != null && s.timeout() > 0) b.put("timeout", s.timeout());
        if (s.interval()) b.put("auto-merge", true);
        if (s.comment() != null) b.put("comment", s.comment());
        if (!s.entries().isEmpty()) {
            ArrayNode elems = b.putArray("elem");
            for (List<JsonNode> e : s.entries()) {
                if (e.size() == 1) elems.add(e.get(0));
                else {
                    ObjectNode c = J.objectNode();
                    ArrayNode parts = c.putArray("concat");
                    e.forEach(parts::add);
                    elems.add(c);
                }
            }
        }
        return item;
    }

    // ------------------------------------------------------------------------------------------- JSON pieces

    private static ObjectNode single(String key, JsonNode value) {
        ObjectNode o = J.objectNode();
        o.set(key, value);
        return o;
    }

    private static ObjectNode meta(String key) {
        ObjectNode o = J.objectNode();
        o.putObject("meta").put("key", key);
        return o;
    }

    private static ObjectNode ct(String key) {
        ObjectNode o = J.objectNode();
        o.putObject("ct").put("key", key);
        return o;
    }

    private static ObjectNode payload(String protocol, String field) {
        ObjectNode o = J.objectNode();
        o.putObject("payload").put("protocol", protocol).put("field", field);
        return o;
    }

    private static ObjectNode match(String op, JsonNode left, JsonNode right) {
        ObjectNode o = J.objectNode();
        o.putObject("match").put("op", op).<ObjectNode>set("left", left).set("right", right);
        return o;
    }

    private static ObjectNode range(JsonNode a, JsonNode b) {
        ObjectNode o = J.objectNode();
        o.putArray("range").add(a).add(b);
        return o;
    }

    /** fw4.set: one value as itself, several (or one when forced) as an anonymous set; duplicates removed */
    private static <T> JsonNode set(List<T> values, boolean force, java.util.function.Function<T, JsonNode> value) {
        List<JsonNode> v = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (T x : values) {
            JsonNode n = value.apply(x);
            if (seen.add(n.toString())) v.add(n);
        }
        if (!force && v.size() == 1) return v.get(0);
        ObjectNode o = J.objectNode();
        ArrayNode a = o.putArray("set");
        v.forEach(a::add);
        return o;
    }

    /** an address as nft -j writes it: "A", {"prefix": ...}, or {"range": [A, B]} */
    static JsonNode addressValue(String cidr) {
        int dash = cidr.indexOf('-');
        if (dash > 0) return range(J.textNode(cidr.substring(0, dash)), J.textNode(cidr.substring(dash + 1)));
        int slash = cidr.indexOf('/');
        if (slash < 0) return J.textNode(cidr);
        ObjectNode o = J.objectNode();
        o.putObject("prefix").put("addr", cidr.substring(0, slash)).put("len", Integer.parseInt(cidr.substring(slash + 1)));
        return o;
    }

    private static JsonNode portValue(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) return J.numberNode(Integer.parseInt(text));
        return range(J.numberNode(Integer.parseInt(text.substring(0, dash))), J.numberNode(Integer.parseInt(text.substring(dash + 1))));
    }

    private static ObjectNode masked(String ip, String field, Addr a) {
        ObjectNode left = J.objectNode();
        left.putArray("&").add(payload(ip, field)).add(a.a().maskText());
        return match(a.invert() ? "!=" : "==", left, J.textNode(a.a().host()));
    }

    private static ObjectNode nfproto(int family) { return match("==", meta("nfproto"), J.textNode(family == 6 ? "ipv6" : "ipv4")); }

    static String nfprotoHuman(int family) { return family == 4 ? "IPv4" : family == 6 ? "IPv6" : "IPv4/IPv6"; }

    /** fw4.l4proto: icmp of both families is the pair, of IPv6 ipv6-icmp */
    private static JsonNode l4proto(int family, String proto) {
        if ("icmp".equals(proto)) {
            if (family == 0) return set(List.of("icmp", "ipv6-icmp"), false, J::textNode);
            if (family == 6) return J.textNode("ipv6-icmp");
        }
        return J.textNode(proto);
    }

    private static ObjectNode verdict(String v) { return single(v, J.nullNode()); }

    private static ObjectNode jump(String target) {
        ObjectNode o = J.objectNode();
        o.putObject("jump").put("target", target);
        return o;
    }

    private static ObjectNode counter() { return single("counter", J.nullNode()); }

    private static ObjectNode log(String prefix) {
        ObjectNode o = J.objectNode();
        o.putObject("log").put("prefix", prefix);
        return o;
    }

    private static ObjectNode limit(Limit l, Long burst) {
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("limit");
        v.put("rate", l.rate()).put("per", l.unit());
        if (burst != null) v.put("burst", burst);
        return o;
    }

    private static ObjectNode namedLimit(Zone z) { return single("limit", J.textNode(z.name + ".log_limit")); }

    private static ObjectNode reject(String code) {
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("reject");
        if (code.equals("tcp-reset")) v.put("type", "tcp reset");
        else v.put("type", "icmpx").put("expr", code);
        return o;
    }

    /** ct state vmap { established : accept, related : accept[, invalid : drop] } */
    private ObjectNode ctStateVmap() {
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("vmap");
        v.set("key", ct("state"));
        ArrayNode set = v.putObject("data").putArray("set");
        set.add(J.arrayNode().add("established").add(verdict("accept")));
        set.add(J.arrayNode().add("related").add(verdict("accept")));
        if (t.dropInvalid) set.add(J.arrayNode().add("invalid").add(verdict("drop")));
        return o;
    }

    private static ObjectNode synMatch() {
        ObjectNode left = J.objectNode();
        left.putArray("&").add(payload("tcp", "flags")).add(J.arrayNode().add("fin").add("syn").add("rst").add("ack"));
        return match("==", left, J.textNode("syn"));
    }

    private static ObjectNode ctStatusDnat() { return match("in", ct("status"), J.textNode("dnat")); }

    /** rule.uc's meta mark set for set_xmark MARK/MASK */
    private static ObjectNode markSet(Mark x) {
        long mark = x.mark(), mask = x.mask(), inv = ~mask & 0xffffffffL;
        JsonNode value;
        if (mask == 0xffffffffL) value = J.numberNode(mark);
        else if (mark == 0) value = binop("&", meta("mark"), J.numberNode(inv));
        else if (mark == mask) value = binop("|", meta("mark"), J.numberNode(mark));
        else if (mask == 0) value = binop("^", meta("mark"), J.numberNode(mark));
        else value = binop("^", binop("&", meta("mark"), J.numberNode(inv)), J.numberNode(mark));
        ObjectNode o = J.objectNode();
        ObjectNode m = o.putObject("mangle");
        m.set("key", meta("mark"));
        m.set("value", value);
        return o;
    }

    private static ObjectNode dscpSet(int family, int dscp) {
        ObjectNode o = J.objectNode();
        ObjectNode m = o.putObject("mangle");
        m.set("key", payload(family == 6 ? "ip6" : "ip", "dscp"));
        m.put("value", dscp);
        return o;
    }

    private static ObjectNode binop(String op, JsonNode a, JsonNode b) {
        ObjectNode o = J.objectNode();
        o.putArray(op).add(a).add(b);
        return o;
    }
}
