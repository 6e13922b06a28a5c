package roundtrip.fix;

/** A fix with its place in the ranking (1 = best) and its verification. */
public record RankedFix(int rank, Fix fix, Verification verification) {}
