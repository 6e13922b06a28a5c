package roundtrip.model;

/**
 * One policy routing rule (`ip rule`). Selectors that are absent are null (or 0 for fwmask = no fwmark match).
 * {@code action} is "table" (lookup), "goto", "nop", "blackhole", "unreachable" or "prohibit".
 * {@code suppressPrefixLength} is -1 when unset.
 */
public record Rule(int priority, boolean not, Prefix from, Prefix to, Long fwmark, long fwmask, String iif,
                   String oif, Integer tos, String action, int table, int gotoPriority, int suppressPrefixLength,
                   Source source) {

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
