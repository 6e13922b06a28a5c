package roundtrip.tunnel;

import roundtrip.kernel.Fact;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Source;

/**
 * What a tunnel did: {@code outer} is a packet the host must send (src 0 = routing chooses; its mark is the
 * tunnel's fwmark), {@code inject} an inner packet that arrives on {@code device}; or a drop, with the reason in
 * the words the daemon would log, the configuration line that decided and, for the checks a diagnosis names, the facts
 * behind it ({@code why}, else null).
 */
public record TunnelResult(Packet outer, Packet inject, String device, Message drop, Source source, String note,
                           Problem uncertain, Fact.Why why) {
    public static TunnelResult send(Packet outer, String note) { return new TunnelResult(outer, null, null, null, Source.NONE, note, null, null); }

    public static TunnelResult inject(Packet inner, String device, String note) {
        return new TunnelResult(null, inner, device, null, Source.NONE, note, null, null);
    }

    /** The packet was for the daemon itself (a keepalive): nothing to send or inject. */
    public static TunnelResult consumed(String note) { return new TunnelResult(null, null, null, null, Source.NONE, note, null, null); }

    public boolean consumedByDaemon() { return drop == null && outer == null && inject == null; }


    public static TunnelResult drop(Message reason, Source source) { return drop(reason, source, null); }

    public static TunnelResult drop(Message reason, Source source, Fact.Why why) {
        return new TunnelResult(null, null, null, reason, source, null, null, why);
    }

    /** The same result, but resting on a guess the configuration could not confirm. */
    public TunnelResult guessed(Problem why) { return new TunnelResult(outer, inject, device, drop, source, note, why, this.why); }

    public boolean dropped() { return drop != null; }
}
