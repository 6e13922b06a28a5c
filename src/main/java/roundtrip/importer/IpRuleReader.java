package roundtrip.importer;

import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads `ip -j rule show` and `ip -6 -j rule show`. A rule's family is the file's (ip6-rule.json) or, in a file of
 * either family, that of its addresses or of a "family" field; a rule without either is IPv4's, as `ip rule`
 * lists IPv4 unless told otherwise. Quirks of the real output: "src": "all" when there is no from-selector, "srclen"
 * absent for a single address, "not": null / "nop": null as present-with-null flags, "goto": N without an
 * "action", "action" only for blackhole/unreachable/prohibit, "fwmask" absent when it is 0xffffffff, "tos"
 * as a hex string, "suppress_prefixlen" (not ..length).
 */
public final class IpRuleReader {
    private IpRuleReader() {}

    /** The rules the kernel starts with for a family; used when a snapshot has no rule file for it. */
    public static List<Rule> kernelDefaults(Ip.Family family, String file) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : Rule.kernelDefaults(family, Source.NONE)) out.add(r.withSource(new Source(file, 0, r.text())));
        return out;
    }

    /** Reads a file on its own (table names resolved only against the reserved names); each rule's family as it says. */
    public static List<Rule> read(String file, String text, List<Problem> problems) {
        IpRouteReader.Parsed parsed = IpRouteReader.parse(file, text);
        TableNames tables = new TableNames(problems);
        IpRouteReader.noteTables(parsed, tables);
        return rules(parsed, tables, null, problems);
    }

    /** @param fileFamily the family of every rule of the file (ip -6 rule), or null to recognise each rule's */
    static List<Rule> rules(IpRouteReader.Parsed parsed, TableNames tables, Ip.Family fileFamily, List<Problem> problems) {
        List<Rule> out = new ArrayList<>();
        for (JsonObject o : parsed.entries) {
            Rule r = rule(o, tables, fileFamily, problems);
            if (r != null) out.add(r);
        }
        return out;
    }

    /** The rule's family: the file's, else a "family" field, else that of its addresses, else IPv4. */
    private static Ip.Family family(JsonObject o, Ip.Family fileFamily) {
        if (fileFamily != null) return fileFamily;
        Ip.Family stated = Ip.Family.ofIproute(o.string("family"));
        if (stated != null) return stated;
        for (String field : new String[] {"src", "dst"}) {
            String text = o.string(field);
            if (text != null && !text.equals("all")) return Ip.familyOf(text);
        }
        return Ip.Family.IPV4;
    }

    private static Rule rule(JsonObject o, TableNames tables, Ip.Family fileFamily, List<Problem> problems) {
        Long priorityValue = o.integer("priority");
        if (priorityValue == null) throw o.error("rule without \"priority\"");
        int priority = (int) (long) priorityValue;
        Ip.Family family = family(o, fileFamily);
        Prefix from = selector(o, "src", "srclen", family);
        Prefix to = selector(o, "dst", "dstlen", family);
        boolean not = o.has("not");

        Long fwmark = null;
        long fwmask = 0;
        if (o.has("fwmark")) {
            fwmark = hex(o, "fwmark");
            fwmask = o.has("fwmask") ? hex(o, "fwmask") : 0xffffffffL;
        }
        Integer tos = null;
        if (o.has("tos")) {
            tos = IpRouteReader.dsfield(o.requiredString("tos"));
            if (tos == null) return skipped(o, problems, Message.of(Sentences.RULE_TOS_NAME, o.string("tos")));
        }
        String iif = o.string("iif");
        String oif = o.string("oif");

        // selectors the model cannot evaluate: dropping the rule is wrong only for the packets it would select
        for (String field : new String[] {"ipproto", "sport", "dport", "uid_start", "l3mdev", "tun_id", "realms",
                "suppress_ifgroup", "sport_start", "dport_start"}) {
            if (o.has(field)) return skipped(o, problems, Message.of(Sentences.RULE_SELECTOR_NOT_SIMULATED, field));
        }

        String action;
        int table = 0;
        int gotoPriority = 0;
        if (o.has("goto")) {
            action = "goto";
            gotoPriority = o.intValue("goto", 0);
        } else if (o.has("nop")) {
            action = "nop";
        } else if (o.has("action")) {
            action = o.requiredString("action");
            if (!List.of("blackhole", "unreachable", "prohibit", "nop", "goto").contains(action))
                throw o.error("unknown rule action \"" + action + "\"");
            if (action.equals("goto")) gotoPriority = o.intValue("goto", 0);
        } else if (o.has("table")) {
            action = "table";
            String tableText = o.requiredString("table");
            table = tables.resolve(tableText, new Source(o.file(), o.line(), "lookup " + tableText));
        } else {
            throw o.error("rule without \"table\" or \"action\"");
        }
        int suppress = o.intValue("suppress_prefixlen", o.intValue("suppress_prefixlength", -1));
        Rule r = new Rule(family, priority, not, from, to, fwmark, fwmask, iif, oif, tos, action, table, gotoPriority,
                suppress, Source.NONE);
        return r.withSource(new Source(o.file(), o.line(), tables.restoreNames(r.text())));
    }

    /** "src": "all" or an address of the rule's family with an optional length field; null when there is no selector. */
    private static Prefix selector(JsonObject o, String field, String lenField, Ip.Family family) {
        String text = o.string(field);
        if (text == null || text.equals("all")) return null;
        Ip addr = o.ipValue(text);
        if (addr.family() != family)
            throw o.error("\"" + field + "\" " + text + " in an " + family.word() + " rule");
        int len = o.intValue(lenField, family.width());
        if (len < 0 || len > family.width()) throw o.error("prefix length out of range: " + len);
        return new Prefix(addr, len);
    }

    private static long hex(JsonObject o, String field) {
        String text = o.requiredString(field);
        try {
            long v = JsonObject.parseNumber(text);
            if (v < 0 || v > 0xffffffffL) throw o.error("\"" + field + "\" out of range: " + text);
            return v;
        } catch (NumberFormatException e) {
            throw o.error("\"" + field + "\" is not a number: " + text);
        }
    }

    private static Rule skipped(JsonObject o, List<Problem> problems, Message why) {
        problems.add(new Problem(new Source(o.file(), o.line(), "priority " + o.string("priority")),
                Message.of(Sentences.RULE_IGNORED, why)));
        return null;
    }
}
