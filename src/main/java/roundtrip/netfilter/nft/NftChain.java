package roundtrip.netfilter.nft;

import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;

/** A chain of one table; base chains also carry type, hook, priority and policy. */
final class NftChain {
    /** "inet fw4" */
    final String table;
    final String name;
    /** null for a regular chain */
    final Hook hook;
    final BaseChain.Type type;
    final int priority;
    final Verdict.Kind policy;
    final List<NftRule> rules = new ArrayList<>();

    NftChain(String table, String name, Hook hook, BaseChain.Type type, int priority, Verdict.Kind policy) {
        this.table = table;
        this.name = name;
        this.hook = hook;
        this.type = type;
        this.priority = priority;
        this.policy = policy;
    }

    boolean isBase() { return hook != null; }
}
