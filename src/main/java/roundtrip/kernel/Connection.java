package roundtrip.kernel;

/**
 * One conntrack entry: the original tuple as first seen, the reply tuple expected back (NAT folds into it),
 * the NAT status bits, whether a reply was seen, the connection mark and the TCP state.
 */
public final class Connection {
    public final Tuple original;
    public Tuple reply;
    public boolean srcNat, dstNat;
    public boolean srcNatDone, dstNatDone;
    public boolean seenReply;
    public boolean confirmed;
    public long mark;
    public TcpTracker.State tcpState = TcpTracker.State.NONE;

    Connection(Tuple original) {
        this.original = original;
        this.reply = original.invert();
    }

    public Tuple tuple(boolean replyDir) { return replyDir ? reply : original; }

    @Override public String toString() {
        return original + " -> reply " + reply + (srcNat ? " [SNAT]" : "") + (dstNat ? " [DNAT]" : "")
                + (mark != 0 ? " mark=0x" + Long.toHexString(mark) : "") + (seenReply ? " [ASSURED]" : " [UNREPLIED]");
    }
}
