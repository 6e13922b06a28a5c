package roundtrip.fix;

import roundtrip.diagnose.Finding;

import java.util.List;

/**
 * One candidate fix for a finding: its changes (possibly on several hosts), whether the prober's real address
 * survives (no NAT), and the trade-off in one line, in English and Chinese. A fix made of two fixes that are needed
 * together ({@link #together}) lists them in {@code parts}, the first first; its changes are theirs in that order.
 */
public record Fix(String id, Finding finding, List<Change> changes, boolean keepsSource, String tradeOff, String tradeOffZh,
                  List<Fix> parts) {
    public Fix(String id, Finding finding, List<Change> changes, boolean keepsSource, String tradeOff, String tradeOffZh) {
        this(id, finding, changes, keepsSource, tradeOff, tradeOffZh, List.of());
    }

    public String tradeOff(String lang) { return "zh".equals(lang) ? tradeOffZh : tradeOff; }

    /** Made of two fixes applied together. */
    public boolean combined() { return !parts.isEmpty(); }

    /**
     * Two fixes applied together, {@code first} first (its changes run first): the second was found by diagnosing
     * again once the first was applied. The client keeps its address only if both keep it.
     */
    public static Fix together(Fix first, Fix second) {
        List<Change> changes = new java.util.ArrayList<>(first.changes());
        changes.addAll(second.changes());
        return new Fix(first.id() + "+" + second.id(), first.finding(), List.copyOf(changes), first.keepsSource() && second.keepsSource(),
                first.tradeOff() + "; " + second.tradeOff(), first.tradeOffZh() + "；" + second.tradeOffZh(), List.of(first, second));
    }
}
