package roundtrip.cli;

import roundtrip.diagnose.Diagnoser;
import roundtrip.diagnose.Finding;
import roundtrip.model.InputException;
import roundtrip.sim.ProbeResult;

import java.util.List;

/** The options every command shares: output format and language. */
final class Format {
    private Format() {}

    static void check(String format) {
        if (!format.equals("json") && !format.equals("text"))
            throw new InputException("--format", 0, "expected json or text, got \"" + format + "\"");
    }

    static void checkLang(String lang) {
        if (!lang.equals("en") && !lang.equals("zh"))
            throw new InputException("--lang", 0, "expected en or zh, got \"" + lang + "\"");
    }

    /** The first cause the diagnosis names for a failing probe (what `why` ranks first), or null when it passes. */
    static Finding rootCause(Diagnoser diagnoser, ProbeResult r) {
        if (Diagnoser.passes(r)) return null;
        List<Finding> findings = diagnoser.diagnose(r);
        return findings.isEmpty() ? null : findings.get(0);
    }
}
