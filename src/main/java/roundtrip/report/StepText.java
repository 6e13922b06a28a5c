package roundtrip.report;

import roundtrip.kernel.Fact;
import roundtrip.kernel.Trace;
import roundtrip.model.Message;
import roundtrip.model.Packet;

/**
 * A trace step in words: tcpdump-style lines for packets, `ip route` text for routing decisions, `nft monitor trace`
 * style lines for rules, and our sentences for NAT, conntrack, drops and notes, as messages (English by their
 * template, Chinese by Zh, both from the same ids and values).
 */
public final class StepText {
    private StepText() {}

    /** The step in English. */
    public static String of(Trace.Step step) { return message(step.fact()).english(); }

    public static String of(Fact fact) { return message(fact).english(); }

    /** The step's sentence (Zh renders the same message in Chinese). */
    public static Message message(Trace.Step step) { return message(step.fact()); }

    public static Message message(Fact fact) {
        if (fact instanceof Fact.Seen s) return Message.text(s.dev() + (s.in() ? " In " : " Out ") + s.packet().describe());
        if (fact instanceof Fact.Routed r) return routed(r);
        if (fact instanceof Fact.RuleHit r) return Message.text(r.table() + " " + r.chain() + ": " + r.action());
        if (fact instanceof Fact.NatChange n) return Message.of(n.source() ? (n.reply() ? Sentences.SOURCE_NAT_REPLY : Sentences.SOURCE_NAT)
                : n.reply() ? Sentences.DESTINATION_NAT_REPLY : Sentences.DESTINATION_NAT, n.before().describe(), n.after().describe());
        if (fact instanceof Fact.Tracked t) return tracked(t);
        if (fact instanceof Fact.Delivered d) return Message.of(Sentences.DELIVERED, d.packet().describe());
        if (fact instanceof Fact.Drop d) return Message.of(Sentences.DROPPED, d.stage(), d.reason());
        if (fact instanceof Fact.Bridged b) return Message.of(b.stopped() ? Sentences.BRIDGE_STOPPED : Sentences.BRIDGED, b.bridge());
        if (fact instanceof Fact.Sends s) return Message.of(Sentences.SENDS, s.packet().describe(), s.cause());
        if (fact instanceof Fact.Tunnel t) return switch (t.op()) {
            case ENCRYPT -> Message.of(Sentences.ENCRYPTS, t.daemon(), t.device(), t.detail());
            case DECRYPT -> Message.of(Sentences.DECRYPTED, t.daemon(), t.device(), t.detail());
            case RELAY -> Message.of(Sentences.RELAYED, t.daemon(), t.detail());
            case CONSUME -> Message.of(Sentences.CONSUMED, t.daemon(), t.device(), t.detail());
        };
        if (fact instanceof Fact.NoListener n) return Message.of(Sentences.NO_LISTENER, n.port(), n.error().describe());
        if (fact instanceof Fact.Answers a) return Message.of(Sentences.ANSWERS, a.what());
        if (fact instanceof Fact.Uncertain u) return u.problem().message();
        throw new IllegalArgumentException("no words for " + fact);
    }

    /** The FIB's answer as `ip route` prints the route, with the policy rule it came through unless a default one. */
    public static String route(Fact.Routed r) { return routeText(r).toString(); }

    public static Message.RouteText routeText(Fact.Routed r) { return r.result().routeText(); }

    private static Message routed(Fact.Routed r) {
        Message.RouteText route = routeText(r);
        return switch (r.decision()) {
            case LOCAL_DELIVERY -> Message.of(Sentences.LOCAL_DELIVERY, route);
            case BROADCAST -> Message.of(Sentences.BROADCAST, route);
            case FORWARD -> Message.of(Sentences.FORWARD, route);
            case OUTPUT -> Message.of(Sentences.OUTPUT, route, r.source());
            case REROUTE -> Message.of(Sentences.REROUTE, route);
        };
    }

    private static Message tracked(Fact.Tracked t) {
        return switch (t.state()) {
            case INVALID -> t.packet().proto == Packet.TCP ? Message.of(Sentences.INVALID_TCP, t.packet().flagText()) : Message.of(Sentences.INVALID);
            case UNTRACKED -> Message.of(Sentences.UNTRACKED);
            default -> t.connmark() != 0
                    ? Message.of(t.reply() ? Sentences.TRACKED_REPLY_MARK : Sentences.TRACKED_MARK, t.state(), "0x" + Long.toHexString(t.connmark()))
                    : Message.of(t.reply() ? Sentences.TRACKED_REPLY : Sentences.TRACKED, t.state());
        };
    }
}
