package roundtrip.fix;

import java.util.List;

/**
 * What re-simulating with a fix applied showed: whether the probe now passes, every other probe checked before and
 * after, and those that passed before and fail after (regressions). {@code error} is set when the change could not
 * be applied at all.
 */
public record Verification(boolean fixesProbe, List<Check> checks, List<String> regressions, String error) {
    public record Check(String probe, String description, boolean before, boolean after) {}

    public boolean clean() { return error == null && fixesProbe && regressions.isEmpty(); }
}
