package roundtrip.sim;

/** One direction of an exchange: did it get through, to which host, and if not where it was lost. */
public record Half(boolean delivered, String deliveredTo, LostAt lostAt) {
    static Half ok(String host) { return new Half(true, host, null); }
    static Half lost(LostAt at) { return new Half(false, null, at); }
}
