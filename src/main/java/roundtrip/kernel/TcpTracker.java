package roundtrip.kernel;

import roundtrip.model.Packet;

/**
 * The TCP connection tracking state machine of nf_conntrack_proto_tcp.c (tcp_conntracks): which state a packet
 * moves a connection to, per direction and packet kind. Window tracking is not modelled: the simulated
 * endpoints always send in-window segments.
 */
public final class TcpTracker {
    private TcpTracker() {}

    public enum State { NONE, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, SYN_SENT2,
        /** the packet is invalid in this state */ INVALID,
        /** the packet is accepted but does not change the state */ IGNORE }

    private static final State sNO = State.NONE, sSS = State.SYN_SENT, sSR = State.SYN_RECV, sES = State.ESTABLISHED,
            sFW = State.FIN_WAIT, sCW = State.CLOSE_WAIT, sLA = State.LAST_ACK, sTW = State.TIME_WAIT, sCL = State.CLOSE,
            sS2 = State.SYN_SENT2, sIV = State.INVALID, sIG = State.IGNORE;

    // [direction][kind][old state]; kinds: syn, synack, fin, ack, rst, none; columns sNO..sS2
    private static final State[][][] TABLE = {
        { // original direction
            {sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2},
            {sIV, sIV, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR},
            {sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV},
            {sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV},
            {sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL},
            {sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV},
        },
        { // reply direction
            {sIV, sS2, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sS2},
            {sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR},
            {sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV},
            {sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG},
            {sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL},
            {sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV},
        }
    };

    /** get_conntrack_index: RST wins, then SYN (with or without ACK), FIN, ACK. */
    static int kind(int flags) {
        if ((flags & Packet.RST) != 0) return 4;
        if ((flags & Packet.SYN) != 0) return (flags & Packet.ACK) != 0 ? 1 : 0;
        if ((flags & Packet.FIN) != 0) return 2;
        if ((flags & Packet.ACK) != 0) return 3;
        return 5;
    }

    public static State next(State old, boolean reply, int flags) {
        return TABLE[reply ? 1 : 0][kind(flags)][old.ordinal()];
    }

    /**
     * tcp_new: can this packet start tracking a connection? A SYN can; a bare ACK (mid-stream pickup) only with
     * nf_conntrack_tcp_loose; a SYN-ACK, FIN or RST never.
     */
    public static State first(int flags, boolean loose) {
        State s = next(State.NONE, false, flags);
        if (s == State.ESTABLISHED && !loose) return State.INVALID;
        return s;
    }
}
