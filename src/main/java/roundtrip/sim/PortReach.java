package roundtrip.sim;

import roundtrip.model.Ip;
import roundtrip.model.Packet;

import java.util.ArrayList;
import java.util.List;

/**
 * `matrix --all-ports`: what one host reaches on one address of another, port class by port class, with adjacent
 * classes of the same outcome joined into ranges. The matrix hands its outcomes over in order (a source's targets
 * address by address), so one address is gathered at a time and nothing else is kept.
 */
public final class PortReach {
    /**
     * open: answered; refused: the request arrived and nothing listens there; request lost: it never arrived; answer
     * lost: it arrived and the answer did not come back.
     */
    public enum Status { OPEN, REFUSED, REQUEST_LOST, ANSWER_LOST }

    /** Ports [low, high] of one protocol with one outcome; for lost ones where the half was lost and why. */
    public record Range(int proto, int low, int high, Status status, String lostHost, roundtrip.model.Message lostReason,
                        roundtrip.model.Source rule) {
        boolean joins(Range next) {
            return proto == next.proto && high + 1 == next.low && status == next.status && java.util.Objects.equals(lostHost, next.lostHost)
                    && java.util.Objects.equals(lostReason, next.lostReason) && java.util.Objects.equals(rule, next.rule);
        }
    }

    /** One source and one address of a target host: its ping and its port ranges. */
    public record Reach(String from, String target, Ip address, Boolean pingAnswered, List<Range> ranges) {
        public List<Range> of(Status s) { return ranges.stream().filter(r -> r.status() == s).toList(); }
    }

    private String from, target;
    private Ip address;
    private Boolean ping;
    private List<Range> ranges = new ArrayList<>();

    /** Adds one outcome (of the network, not the baseline); returns the previous address's reach when this one starts another. */
    public Reach add(Matrix.Outcome o) {
        if (o.now() == null) return null;
        Matrix.Pair p = o.pair();
        Reach done = null;
        if (from != null && !(from.equals(p.from()) && target.equals(p.target().host()) && address.equals(p.target().address())))
            done = finish();
        from = p.from();
        target = p.target().host();
        address = p.target().address();
        Matrix.Service s = p.target().service();
        if (s.proto() == Packet.ICMP) {
            ping = ProbeResult.Verdict.ROUND_TRIP_OK == o.now().verdict();
            return done;
        }
        Range r = range(s, o.now());
        if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).joins(r)) {
            Range last = ranges.remove(ranges.size() - 1);
            r = new Range(last.proto(), last.low(), r.high(), last.status(), last.lostHost(), last.lostReason(), last.rule());
        }
        ranges.add(r);
        return done;
    }

    /** The reach being gathered, if any; the aggregator starts empty again. */
    public Reach finish() {
        if (from == null) return null;
        Reach r = new Reach(from, target, address, ping, List.copyOf(ranges));
        from = null;
        ping = null;
        ranges = new ArrayList<>();
        return r;
    }

    private static Range range(Matrix.Service s, ProbeResult r) {
        if (r.verdict() == ProbeResult.Verdict.ROUND_TRIP_OK) return new Range(s.proto(), s.port(), s.high(), Status.OPEN, null, null, null);
        LostAt lost = r.verdict() == ProbeResult.Verdict.REQUEST_LOST ? r.request().lostAt() : r.reply().lostAt();
        // the request arrived, and the socket layer of the host it arrived at refused it (RST, port unreachable, no answer)
        if (r.request().delivered() && lost != null && "socket".equals(lost.stage()) && lost.host().equals(r.request().deliveredTo()))
            return new Range(s.proto(), s.port(), s.high(), Status.REFUSED, null, null, null);
        // a target whose firewall drops the request sends no answer: the request is what was lost, there (a target without
        // a route for its answer lost the answer, not the request)
        boolean droppedByTarget = r.request().delivered() && lost != null && lost.host().equals(r.request().deliveredTo())
                && !"routing".equals(lost.stage());
        Status status = r.verdict() == ProbeResult.Verdict.REQUEST_LOST || droppedByTarget ? Status.REQUEST_LOST : Status.ANSWER_LOST;
        return new Range(s.proto(), s.port(), s.high(), status, lost == null ? null : lost.host(), lost == null ? null
                : roundtrip.model.Message.of(Sentences.LOST_AT_STAGE, roundtrip.model.Message.Term.of(lost.stage()), lost.reason()),
                lost == null ? null : lost.source());
    }
}
