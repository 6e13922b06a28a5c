package roundtrip.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import roundtrip.model.Ip;
import roundtrip.model.Packet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conntrack table finds entries by packed IPv4 keys (and Tuple objects otherwise): whatever packets come, each
 * finds the connection a plain map of tuples would give, in the same direction.
 */
class ConntrackPropertyTest {

    @Property(tries = 500)
    void tableFindsWhatAMapOfTuplesFinds(@ForAll("packetLists") List<Packet> packets) {
        Conntrack table = new Conntrack();
        Map<Tuple, Connection> model = new HashMap<>();
        for (Packet p : packets) {
            Conntrack.Lookup l = table.classify(p, true);
            if (p.isIcmpError()) {
                Tuple inverted = Tuple.of(p.inner).invert();
                Connection want = model.get(inverted);
                assertThat(l.ct()).isSameAs(want);
                if (want != null) assertThat(l.reply()).isEqualTo(!want.original.equals(inverted));
                continue;
            }
            Connection want = model.get(Tuple.of(p));
            if (want != null) {
                if (l.ct() != null) {
                    assertThat(l.ct()).isSameAs(want);
                    assertThat(l.reply()).isEqualTo(!want.original.equals(Tuple.of(p)));
                }
                continue;
            }
            if (l.ct() == null) continue;
            assertThat(l.fresh()).isTrue();
            assertThat(l.ct().original).isEqualTo(Tuple.of(p));
            // a NAT binding now and then, so reply tuples differ from the inverted original
            if (p.sport % 3 == 0) Conntrack.bind(l.ct(), Conntrack.Manip.SRC, Ip.parse("192.0.2.1"), 1000 + p.sport % 7);
            table.confirm(l.ct());
            model.put(l.ct().original, l.ct());
            model.put(l.ct().reply, l.ct());
        }
        assertThat(table.connections()).containsExactlyInAnyOrderElementsOf(new java.util.LinkedHashSet<>(model.values()));
    }

    @Provide
    Arbitrary<List<Packet>> packetLists() {
        Arbitrary<Ip> addr = Arbitraries.of("10.0.0.1", "10.0.0.2", "192.0.2.1", "0.0.0.0", "255.255.255.255",
                "2001:db8::1", "2001:db8::2").map(Ip::parse);
        Arbitrary<Integer> port = Arbitraries.of(0, 1, 22, 1000, 1001, 1002, 1003, 65535, 70000, -1);
        Arbitrary<Integer> proto = Arbitraries.of(Packet.TCP, Packet.UDP, Packet.ICMP, 47, 300);
        Arbitrary<Packet> plain = Combinators.combine(proto, addr, port, addr, port, Arbitraries.of(Packet.SYN, Packet.ACK, Packet.SYN | Packet.ACK))
                .as((pr, s, sp, d, dp, fl) -> {
                    Packet p = new Packet();
                    p.proto = pr;
                    p.src = s; p.sport = sp; p.dst = d; p.dport = dp; p.tcpFlags = fl;
                    if (pr == Packet.ICMP) { p.icmpType = Packet.ICMP_ECHO; p.dport = sp; }
                    return p;
                });
        Arbitrary<Packet> error = Combinators.combine(plain, addr).as((inner, from) -> {
            Packet p = new Packet();
            p.proto = Packet.ICMP;
            p.icmpType = 3;
            p.src = from;
            p.dst = inner.src;
            p.inner = inner;
            return p;
        });
        // replies: the same few packets turned around
        Arbitrary<Packet> any = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(1, error));
        return any.list().ofMinSize(1).ofMaxSize(40).map(l -> {
            List<Packet> out = new java.util.ArrayList<>();
            for (Packet p : l) {
                out.add(p);
                if (!p.isIcmpError() && p.sport % 2 == 0) {
                    Packet r = p.copy();
                    r.src = p.dst; r.dst = p.src; r.sport = p.dport; r.dport = p.sport;
                    if (p.proto == Packet.ICMP) r.icmpType = 0;
                    out.add(r);
                }
            }
            return out;
        });
    }
}
