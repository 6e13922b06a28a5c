package roundtrip.kernel;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;

import static org.assertj.core.api.Assertions.assertThat;

class ConntrackTest {
    private static Packet tcp(String src, int sport, String dst, int dport, int flags) {
        Packet p = new Packet();
        p.proto = Packet.TCP;
        p.src = Ip.parse(src); p.sport = sport; p.dst = Ip.parse(dst); p.dport = dport; p.tcpFlags = flags;
        return p;
    }

    @Test
    void handshakeMovesThroughTheKernelStates() {
        Conntrack ct = new Conntrack();
        Conntrack.Lookup syn = ct.classify(tcp("10.0.0.1", 40000, "10.0.0.2", 22, Packet.SYN), true);
        assertThat(syn.state()).isEqualTo(CtState.NEW);
        ct.confirm(syn.ct());
        Conntrack.Lookup synAck = ct.classify(tcp("10.0.0.2", 22, "10.0.0.1", 40000, Packet.SYN | Packet.ACK), true);
        assertThat(synAck.state()).isEqualTo(CtState.ESTABLISHED);
        assertThat(synAck.reply()).isTrue();
        Conntrack.Lookup ack = ct.classify(tcp("10.0.0.1", 40000, "10.0.0.2", 22, Packet.ACK | Packet.PSH), true);
        assertThat(ack.state()).isEqualTo(CtState.ESTABLISHED);
        assertThat(ack.ct().tcpState).isEqualTo(TcpTracker.State.ESTABLISHED);
    }

    @Test
    void aBoxThatSawOnlyTheSynMarksTheClientsNextSegmentInvalid() {
        Conntrack ct = new Conntrack();
        ct.confirm(ct.classify(tcp("10.0.0.1", 40000, "10.0.0.2", 22, Packet.SYN), true).ct());
        assertThat(ct.classify(tcp("10.0.0.1", 40000, "10.0.0.2", 22, Packet.ACK | Packet.PSH), true).state())
                .isEqualTo(CtState.INVALID);
    }

    @Test
    void aSynAckWithoutASynIsInvalidAndAMidStreamAckNeedsLoose() {
        Conntrack ct = new Conntrack();
        assertThat(ct.classify(tcp("10.0.0.2", 22, "10.0.0.1", 40000, Packet.SYN | Packet.ACK), true).state()).isEqualTo(CtState.INVALID);
        assertThat(ct.classify(tcp("10.0.0.2", 22, "10.0.0.1", 40000, Packet.ACK), true).state()).isEqualTo(CtState.NEW);
        assertThat(ct.classify(tcp("10.0.0.2", 22, "10.0.0.1", 40000, Packet.ACK), false).state()).isEqualTo(CtState.INVALID);
    }

    @Test
    void dnatIsAppliedToTheRequestAndReversedOnTheReply() {
        Conntrack ct = new Conntrack();
        Packet syn = tcp("198.51.100.50", 40000, "203.0.113.5", 5000, Packet.SYN);
        Conntrack.Lookup l = ct.classify(syn, true);
        Conntrack.bind(l.ct(), Conntrack.Manip.DST, Ip.parse("10.10.10.2"), 0);
        Conntrack.translate(l.ct(), false, Conntrack.Manip.DST, syn);
        Conntrack.bind(l.ct(), Conntrack.Manip.SRC, syn.src, 0);
        ct.confirm(l.ct());
        assertThat(String.valueOf(syn.dst)).isEqualTo("10.10.10.2");

        Packet synAck = tcp("10.10.10.2", 5000, "198.51.100.50", 40000, Packet.SYN | Packet.ACK);
        Conntrack.Lookup r = ct.classify(synAck, true);
        assertThat(r.reply()).isTrue();
        Conntrack.translate(r.ct(), true, Conntrack.Manip.DST, synAck);   // PREROUTING: nothing to undo
        Conntrack.translate(r.ct(), true, Conntrack.Manip.SRC, synAck);   // POSTROUTING: DNAT reversed
        assertThat(String.valueOf(synAck.src)).isEqualTo("203.0.113.5");
    }

    @Test
    void anIcmpErrorAboutAConnectionIsRelatedAndItsInnerHeaderIsTranslatedBack() {
        Conntrack ct = new Conntrack();
        Packet req = tcp("10.1.1.6", 40000, "192.168.78.19", 22, Packet.SYN);
        Conntrack.Lookup l = ct.classify(req, true);
        Conntrack.bind(l.ct(), Conntrack.Manip.DST, req.dst, 0);
        Conntrack.bind(l.ct(), Conntrack.Manip.SRC, Ip.parse("192.168.78.1"), 0);
        ct.confirm(l.ct());
        Conntrack.translate(l.ct(), false, Conntrack.Manip.SRC, req);

        Packet err = new Packet();
        err.proto = Packet.ICMP; err.icmpType = Packet.ICMP_DEST_UNREACH; err.icmpCode = 3;
        err.src = Ip.parse("192.168.78.19"); err.dst = Ip.parse("192.168.78.1"); err.inner = req.copy();
        Conntrack.Lookup e = ct.classify(err, true);
        assertThat(e.state()).isEqualTo(CtState.RELATED);
        Conntrack.translate(e.ct(), e.reply(), Conntrack.Manip.DST, err);
        assertThat(String.valueOf(err.dst)).isEqualTo("10.1.1.6");
        assertThat(String.valueOf(err.inner.src)).isEqualTo("10.1.1.6");
    }
}
