package roundtrip.kernel;

import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened to packets, step by step: tcpdump-style interface lines, routing decisions, every netfilter
 * rule that acted (as nft monitor trace would show), NAT and conntrack changes, drops, and rules whose syntax
 * was not understood. One Trace per phase of a round trip.
 */
public final class Trace {
    public enum Kind { IN, OUT, ROUTE, RULE, NAT, CONNTRACK, DROP, LOCAL, NOTE, UNCERTAIN }

    /** One step: on which host, what happened (a fact that report.StepText puts in words), and the line that decided. */
    public record Step(String host, Fact fact, Source source) {
        public Kind kind() { return fact.kind(); }

        @Override public String toString() { return host + " " + fact; }
    }

    /** kept only when enabled; the uncertainties made on first use (most walks have none: two lists a phase less) */
    private final List<Step> steps;
    private List<Problem> uncertain = List.of();
    private final boolean enabled;

    public Trace(boolean enabled) {
        this.enabled = enabled;
        this.steps = enabled ? new ArrayList<>() : List.of();
    }

    /** False when steps are not kept: callers skip building the step (and the packet copies it holds). */
    public boolean enabled() { return enabled; }

    public void add(String host, Fact fact) { add(host, fact, Source.NONE); }

    public void add(String host, Fact fact, Source source) {
        if (enabled) steps.add(new Step(host, fact, source));
    }

    public void uncertain(String host, Problem p) {
        if (uncertain.isEmpty()) uncertain = new ArrayList<>();
        if (!uncertain.contains(p)) uncertain.add(p);
        add(host, new Fact.Uncertain(p), p.source());
    }

    public List<Step> steps() { return steps; }

    public List<Problem> uncertainties() { return uncertain; }
}
