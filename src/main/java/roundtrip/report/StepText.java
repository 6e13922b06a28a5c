package roundtrip.report;

import roundtrip.kernel.Fact;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Trace;
import roundtrip.model.Packet;
import roundtrip.model.Rule;

/**
 * A trace step in words: tcpdump-style lines for packets, `ip route` text for routing decisions, `nft monitor trace`
 * style lines for rules, and our sentences for NAT, conntrack, drops and notes. The one place the trace's facts
 * become English (Zh translates these sentences).
 */
public final class StepText {
    private StepText() {}

    public static String of(Trace.Step step) { return of(step.fact()); }

    public static String of(Fact fact) {
        if (fact instanceof Fact.Seen s) return s.dev() + (s.in() ? " In " : " Out ") + s.packet().describe();
        if (fact instanceof Fact.Routed r) return routed(r);
        if (fact instanceof Fact.RuleHit r) return r.table() + " " + r.chain() + ": " + r.action();
        if (fact instanceof Fact.NatChange n) return (n.source() ? "source" : "destination") + " NAT ("
                + (n.reply() ? "reply, reversed" : "conntrack") + "): " + n.before().describe() + " -> " + n.after().describe();
        if (fact instanceof Fact.Tracked t) return tracked(t);
        if (fact instanceof Fact.Delivered d) return "delivered to a local socket: " + d.packet().describe();
        if (fact instanceof Fact.Drop d) return d.stage().word() + ": " + d.reason().english();
        if (fact instanceof Fact.Bridged b) return b.stopped() ? "while bridging on " + b.bridge() + " (in and out by " + b.bridge() + ")"
                : "bridged by " + b.bridge() + " (bridge-nf-call-iptables = 1: iptables saw it)";
        if (fact instanceof Fact.Sends s) return "sends " + s.packet().describe() + " (" + s.cause() + ")";
        if (fact instanceof Fact.Tunnel t) return switch (t.op()) {
            case ENCRYPT -> t.daemon() + " " + t.device() + ": encrypts for " + t.detail();
            case DECRYPT -> t.daemon() + " " + t.device() + ": decrypted " + t.detail();
            case RELAY -> t.daemon() + ": relayed inside the daemon, " + t.detail();
            case CONSUME -> t.daemon() + " " + t.device() + ": " + t.detail();
        };
        if (fact instanceof Fact.NoListener n) return "nothing listens on udp port " + n.port() + ": the kernel answers " + n.error().describe();
        if (fact instanceof Fact.Answers a) return "answers with " + a.what();
        if (fact instanceof Fact.Uncertain u) return u.problem().message().english();
        throw new IllegalArgumentException("no words for " + fact);
    }

    /** The FIB's answer as `ip route` prints the route, with the policy rule it came through unless a default one. */
    public static String route(Fact.Routed r) {
        FibResult res = r.result();
        if (res.noRoute()) return "no route";
        String text = res.route() != null ? res.route().text() : res.type().word();
        Rule via = r.viaRule();
        return via != null ? text + " (via rule " + via.text().replace('\t', ' ') + ")" : text;
    }

    private static String routed(Fact.Routed r) {
        return switch (r.decision()) {
            case LOCAL_DELIVERY -> "local delivery: " + route(r);
            case BROADCAST -> "broadcast: " + route(r);
            case FORWARD -> "forward: " + route(r);
            case OUTPUT -> route(r) + " (source " + r.source() + ")";
            case REROUTE -> "re-route after mark/destination change: " + route(r);
        };
    }

    private static String tracked(Fact.Tracked t) {
        return switch (t.state()) {
            case INVALID -> "INVALID: conntrack cannot place this packet" + (t.packet().proto == Packet.TCP
                    ? " (flags [" + flags(t.packet()) + "] do not fit the connection state this host has seen)" : "");
            case UNTRACKED -> "UNTRACKED (NOTRACK)";
            default -> t.state() + (t.reply() ? " (reply direction)" : "")
                    + (t.connmark() != 0 ? ", connmark 0x" + Long.toHexString(t.connmark()) : "");
        };
    }

    /** The TCP flags as tcpdump shows them between "Flags [" and "]". */
    private static String flags(Packet p) {
        String d = p.describe();
        int i = d.indexOf("Flags [");
        return i < 0 ? "" : d.substring(i + 7, d.indexOf(']', i));
    }
}
