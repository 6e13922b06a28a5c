package roundtrip.netfilter;

import roundtrip.model.Source;

/**
 * One line of a per-rule trace, like `nft monitor trace` prints: in which table and chain, which rule (as the
 * user wrote it, with file:line; Source.NONE for a chain policy), and what happened ("accept", "drop",
 * "jump to X", "return", "MARK set 0x1", "policy accept", ...). {@code family} says which firewall the chain
 * belongs to; {@code nat} is the NAT the rule bound, when it did (null otherwise).
 */
public record TraceStep(Family family, String table, String chain, Source rule, String action, NatAction nat) {
    /** iptables (iptables-save rules), ip6tables (ip6tables-save rules) or nftables. */
    public enum Family {
        IPTABLES, IP6TABLES, NFT;

        /** The iptables-style firewall of a packet family's rules. */
        public static Family iptablesOf(roundtrip.model.Ip.Family f) { return f == roundtrip.model.Ip.Family.IPV6 ? IP6TABLES : IPTABLES; }
    }

    @Override public String toString() {
        String r = rule.text().isEmpty() ? "policy" : "rule " + rule.text();
        return table + " " + chain + " " + r + " (" + action + ")";
    }
}
