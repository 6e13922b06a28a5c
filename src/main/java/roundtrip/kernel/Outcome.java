package roundtrip.kernel;

import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Source;


/**
 * What one host did with one packet: sent it on an interface towards a next hop, delivered it to a local
 * socket, or dropped it (stage and reason, with the rule, route or sysctl that decided, as written). Packets
 * the host generated in response (ICMP errors, TCP resets from REJECT) are handed back separately (see
 * HostKernel.Generated) and are sent by the host itself.
 */
public record Outcome(Kind kind, String iface, Ip nextHop, Packet packet, String stage, Message reason, Source source,
                      Connection ct, Fact.Why why) {
    public enum Kind { TRANSMIT, DELIVER, DROP }

    static Outcome transmit(String iface, Ip nextHop, Packet p) {
        return new Outcome(Kind.TRANSMIT, iface, nextHop, p, null, null, Source.NONE, null, null);
    }

    static Outcome deliver(String iface, Packet p, Connection ct) {
        return new Outcome(Kind.DELIVER, iface, null, p, null, null, Source.NONE, ct, null);
    }

    static Outcome drop(Packet p, String stage, Message reason, Source source, Fact.Why why) {
        return new Outcome(Kind.DROP, null, null, p, stage, reason, source, null, why);
    }
}
