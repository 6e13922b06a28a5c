package roundtrip.fix;

import roundtrip.diagnose.Finding;

import java.util.List;

/**
 * One candidate fix for a finding: its changes (possibly on several hosts), whether the prober's real address
 * survives (no NAT), and the trade-off in one line, in English and Chinese.
 */
public record Fix(String id, Finding finding, List<Change> changes, boolean keepsSource, String tradeOff, String tradeOffZh) {
    public String tradeOff(String lang) { return "zh".equals(lang) ? tradeOffZh : tradeOff; }
}
