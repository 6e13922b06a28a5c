package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Ruleset;

/** Reads `iptables-save` output into a {@link Ruleset}. (Being written: placeholder signature.) */
public final class IptablesSaveParser {
    private IptablesSaveParser() {}

    /**
     * @param file the file name to report in errors and to quote in Source (e.g. "router/iptables-save.txt")
     * @param text the whole file
     * @throws roundtrip.model.InputException for structurally malformed input (one line naming file:line)
     */
    public static Ruleset parse(String file, String text) {
        throw new UnsupportedOperationException("not yet written");
    }
}
