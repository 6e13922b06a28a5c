package roundtrip.netfilter;

import roundtrip.model.Packet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The ports where some rule, listener or daemon of a network may treat the next port differently from the one
 * before (issue 13 item 4, the atomic predicates of APT/APKeep restricted to the port field): every port range a
 * rule compares a source or destination port with, per transport protocol, cuts the port space at its two ends.
 * Between two cuts no rule can tell the ports apart, so one representative per class answers for all of them.
 * Source-port comparisons cut too: the answer to a probe carries its destination port as its source port.
 * A comparison whose constants are not known (a set filled at run time, a name not understood) makes the classes
 * inexact; the reason is kept.
 */
public final class PortCuts {
    public static final int MAX = 0xffff;

    /** A class of ports [low, high] that every rule treats alike; {@code low} is simulated for all of them. */
    public record PortClass(int proto, int low, int high) {
        public int size() { return high - low + 1; }
        @Override public String toString() { return low == high ? String.valueOf(low) : low + "-" + high; }
    }

    private final BitSet tcp = new BitSet(MAX + 2), udp = new BitSet(MAX + 2);
    private final List<roundtrip.model.Message> inexact = new ArrayList<>();

    public PortCuts() {
        tcp.set(1);
        udp.set(1);
    }

    /** Some rule compares the ports of {@code proto} (0: both tcp and udp) with [low, high]. */
    public void range(int proto, int low, int high) {
        low = Math.max(1, low);
        high = Math.min(MAX, high);
        if (low > high) return;
        for (BitSet b : sets(proto)) {
            b.set(low);
            if (high < MAX) b.set(high + 1);
        }
    }

    public void port(int proto, int port) { range(proto, port, port); }

    /** Adds every cut and every reason of {@code other}. */
    public void addAll(PortCuts other) {
        tcp.or(other.tcp);
        udp.or(other.udp);
        for (roundtrip.model.Message why : other.inexact) unknown(why);
    }

    /** A port comparison whose constants are not known: the classes may join ports a rule tells apart. */
    public void unknown(roundtrip.model.Message why) { if (!inexact.contains(why)) inexact.add(why); }

    public boolean exact() { return inexact.isEmpty(); }

    public List<roundtrip.model.Message> inexactReasons() { return List.copyOf(inexact); }

    /** The classes of {@code proto} (tcp or udp) in port order, covering 1..65535. */
    public List<PortClass> classes(int proto) {
        BitSet b = proto == Packet.UDP ? udp : tcp;
        List<PortClass> out = new ArrayList<>();
        for (int start = b.nextSetBit(1); start >= 1 && start <= MAX; ) {
            int next = b.nextSetBit(start + 1);
            int end = next < 0 || next > MAX ? MAX : next - 1;
            out.add(new PortClass(proto, start, end));
            if (next < 0 || next > MAX) break;
            start = next;
        }
        return out;
    }

    private List<BitSet> sets(int proto) {
        if (proto == Packet.TCP) return List.of(tcp);
        if (proto == Packet.UDP) return List.of(udp);
        return List.of(tcp, udp);
    }
}
