package roundtrip.sim;

import roundtrip.kernel.Trace;
import roundtrip.model.Probe;
import roundtrip.model.Problem;

import java.util.List;

/**
 * The simulated outcome of one probe (design §2): the verdict, both halves, the TCP data phase, every step of
 * every phase for the hop-by-hop view, and the unknown syntax that made the result uncertain.
 */
public record ProbeResult(Probe probe, Verdict verdict, Half request, Half reply, Half data,
                          List<Phase> phases, List<Problem> uncertain, List<roundtrip.model.Message> notes) {
    public enum Verdict { ROUND_TRIP_OK, REQUEST_LOST, REPLY_LOST }

    /** One packet's journey: "request", "reply", "data", "data reply", or a generated error. */
    /** {@code packet} is the packet in tcpdump words (or what the answer is), empty when the run kept no trace. */
    /**
     * One phase of the exchange: {@code name} is "request", "reply", "data", "data reply", "icmp error", or for a packet
     * a host generated on the way the reason it did ({@code generatedFor}, whose English the name is; null otherwise).
     */
    public record Phase(String name, roundtrip.model.Message generatedFor, roundtrip.model.Message packet, List<Trace.Step> steps) {
        public Phase(String name, roundtrip.model.Message packet, List<Trace.Step> steps) { this(name, null, packet, steps); }

        /** A phase of a packet a host generated: named by why it was generated, in words only when asked. */
        public Phase(roundtrip.model.Message generatedFor, roundtrip.model.Message packet, List<Trace.Step> steps) {
            this(null, generatedFor, packet, steps);
        }

        /** "request", "reply", ...; for a generated packet why it was generated, in English */
        @Override public String name() { return name != null ? name : generatedFor.english(); }
    }

    public boolean certain() { return uncertain.isEmpty(); }
}
