package roundtrip.netfilter;

import roundtrip.model.Ip;

/**
 * One chain hooked into the IP stack (IPv4's, IPv6's or both, {@link #sees}): an iptables or ip6tables table's built-in chain (raw at -300, mangle -150, nat -100/100,
 * filter 0, security 50) or an nftables base chain with its own priority. The kernel runs a hook's base chains
 * by priority; nat chains only see the first packet of a connection, route chains (mangle OUTPUT, nft type route)
 * make a locally generated packet be routed again when they change it.
 */
public interface BaseChain {
    enum Type { FILTER, NAT, ROUTE }

    /** Table name as the user knows it ("filter", "nat", "fw4"), for traces. */
    String table();

    /** Chain name ("FORWARD", "forward_wan"). */
    String name();

    Hook hook();

    int priority();

    /**
     * Lowest priority first, as the kernel runs a hook's base chains. A lambda of our own, not
     * Comparator.comparingInt: the JDK's lambdas are not in the class-data archive and are spun at every start, a few
     * milliseconds of a one-shot run (issue 13).
     */
    java.util.Comparator<BaseChain> BY_PRIORITY = (a, b) -> Integer.compare(a.priority(), b.priority());

    Type type();

    Verdict evaluate(PacketContext ctx);

    /**
     * True when the chain lets every packet through unchanged and only a trace would show it ran: no rules and an
     * accepting policy (most tables leave most of their built-in chains so). The kernel model then skips it untraced.
     */
    default boolean passesUntouched() { return false; }

    /**
     * Whether packets of this family pass through the chain. An iptables table and an nft table of family ip hook
     * into IPv4 only (ip6tables and nft ip6 into IPv6, an nft inet table into both): a rule can never act on a
     * packet of a family its table does not see.
     */
    default boolean sees(Ip.Family family) { return family == Ip.Family.IPV4; }
}
