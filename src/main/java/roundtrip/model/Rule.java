package roundtrip.model;

/**
 * One policy routing rule of one family (`ip rule` for IPv4, `ip -6 rule` for IPv6: the kernel keeps a rule list
 * per family). Selectors that are absent are null (or 0 for fwmask = no fwmark match).
 * {@code action} is "table" (lookup), "goto", "nop", "blackhole", "unreachable" or "prohibit".
 * {@code suppressPrefixLength} is -1 when unset.
 */
public record Rule(Ip.Family family, int priority, boolean not, Prefix from, Prefix to, Long fwmark, long fwmask, String iif,
                   String oif, Integer tos, String action, int table, int gotoPriority, int suppressPrefixLength,
                   Source source) {
    public Rule {
        java.util.Objects.requireNonNull(family, "family");
        if (from != null && from.family() != family || to != null && to.family() != family)
            throw new IllegalArgumentException("an " + family.word() + " rule with a selector of the other family: " + from + " " + to);
    }

    /**
     * The rules a fresh kernel has for a family (fib4_rules_init: local, main, default; fib6_rules_net_init: local,
     * main), all quoted as {@code source}.
     */
    public static java.util.List<Rule> kernelDefaults(Ip.Family family, Source source) {
        java.util.List<Rule> out = new java.util.ArrayList<>();
        out.add(new Rule(family, 0, false, null, null, null, 0, null, null, null, "table", Route.TABLE_LOCAL, 0, -1, source));
        out.add(new Rule(family, 32766, false, null, null, null, 0, null, null, null, "table", Route.TABLE_MAIN, 0, -1, source));
        if (family == Ip.Family.IPV4)
            out.add(new Rule(family, 32767, false, null, null, null, 0, null, null, null, "table", Route.TABLE_DEFAULT, 0, -1, source));
        return java.util.List.copyOf(out);
    }

    /** The same rule, quoted from elsewhere. */
    public Rule withSource(Source s) {
        return new Rule(family, priority, not, from, to, fwmark, fwmask, iif, oif, tos, action, table, gotoPriority,
                suppressPrefixLength, s);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(priority).append(":\t");
        if (not) sb.append("not ");
        sb.append("from ").append(from == null ? "all" : from.toString());
        if (to != null) sb.append(" to ").append(to);
        if (tos != null) sb.append(" tos ").append(tos);
        if (fwmark != null) {
            sb.append(" fwmark 0x").append(Long.toHexString(fwmark));
            if (fwmask != 0xffffffffL) sb.append("/0x").append(Long.toHexString(fwmask));
        }
        if (iif != null) sb.append(" iif ").append(iif);
        if (oif != null) sb.append(" oif ").append(oif);
        switch (action) {
            case "table" -> sb.append(" lookup ").append(Route.tableName(table));
            case "goto" -> sb.append(" goto ").append(gotoPriority);
            default -> sb.append(' ').append(action);
        }
        if (suppressPrefixLength >= 0) sb.append(" suppress_prefixlength ").append(suppressPrefixLength);
        return sb.toString();
    }

    @Override public String toString() { return text(); }
}
