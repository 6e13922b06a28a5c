package roundtrip.sim;

/** One direction of an exchange: did it get through, to which host, and if not where it was lost. */
public record Half(boolean delivered, String deliveredTo, LostAt lostAt, int deliveredPort) {
    static Half ok(String host) { return new Half(true, host, null, 0); }
    /** Delivered to a socket: {@code port} is the destination port it arrived with (after any DNAT). */
    static Half ok(String host, int port) { return new Half(true, host, null, port); }
    static Half lost(LostAt at) { return new Half(false, null, at, 0); }
}
