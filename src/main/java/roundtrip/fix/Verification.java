package roundtrip.fix;

import java.util.List;

/**
 * What re-simulating with a fix applied showed: whether the probe now passes, every other probe checked before and
 * after, and those that passed before and fail after (regressions). {@code error} is set when the change could not
 * be applied at all.
 */
public record Verification(boolean fixesProbe, List<Check> checks, List<String> regressions, roundtrip.model.Message error, int progress) {
    /** Without a measure of progress (a fix that could not be applied). */
    public Verification(boolean fixesProbe, List<Check> checks, List<String> regressions, roundtrip.model.Message error) {
        this(fixesProbe, checks, regressions, error, 0);
    }

    /**
     * How far the probe gets with the fix applied: 0 the request is still lost, 1 it arrives but the answer is lost,
     * 2 the answer comes back but the first data exchange is lost, 3 the probe passes. Ranks fixes that do not pass.
     */
    public static int progress(roundtrip.sim.ProbeResult r) {
        return switch (r.verdict()) {
            case REQUEST_LOST -> 0;
            case REPLY_LOST -> 1;
            case ROUND_TRIP_OK -> r.data() == null || r.data().delivered() ? 3 : 2;
        };
    }

    public record Check(String probe, String description, boolean before, boolean after) {}

    public boolean clean() { return error == null && fixesProbe && regressions.isEmpty(); }
}
