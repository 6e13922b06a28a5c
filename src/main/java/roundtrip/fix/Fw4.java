package roundtrip.fix;

import roundtrip.model.Host;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.nft.NftRuleset;

import java.util.ArrayList;
import java.util.List;

/**
 * What OpenWrt's firewall4 generates differently when a zone option changes, applied to the ruleset it generated (as
 * `nft -j list ruleset` shows it), for hosts whose /etc/config/firewall the input does not hold. Only what the
 * templates make exact is modelled: masq_allow_invalid (firewall4 templates/ruleset.uc emits zone-drop-invalid.uc,
 * the "Prevent NAT leakage" drop, at the head of chain accept_to_ZONE for each of the zone's matches, when the zone
 * masquerades, masq_allow_invalid is off and the defaults' drop_invalid is off; with the zone's log and log_limit the
 * drop is preceded by a rate-limited log rule of the same match).
 */
final class Fw4 {
    private Fw4() {}

    static final String TABLE = "inet fw4";
    static final String NAT_LEAKAGE = "!fw4: Prevent NAT leakage";
    private static final String ACCEPT_TO = "accept_to_";

    /** The zone whose egress chain accept_to_ZONE is; null for another chain (fw4 names zone chains after the zone). */
    static String zoneOfAcceptTo(String chain) {
        return chain != null && chain.startsWith(ACCEPT_TO) && chain.length() > ACCEPT_TO.length() ? chain.substring(ACCEPT_TO.length()) : null;
    }

    /** The nftables part of a host's firewall when it holds fw4's table; null otherwise. */
    static NftRuleset ruleset(Host h) {
        Ruleset fw = h.firewall().nftPart();
        return fw instanceof NftRuleset nft && nft.tableNames().contains(TABLE) ? nft : null;
    }

    /** The host's firewall with its fw4 part replaced. */
    static Ruleset replace(Host h, NftRuleset edited) {
        return h.firewall() instanceof Ruleset.Combined both ? Ruleset.combine(both.first(), edited) : edited;
    }

    /** The rules fw4 generates for zone {@code zone} only while masq_allow_invalid is off: its NAT-leakage drops (and their log rules). */
    static List<NftRuleset.RuleInfo> natLeakageRules(NftRuleset rs, String zone) {
        String logPrefix = "log prefix \"drop " + zone + " invalid ct state: \"";
        List<NftRuleset.RuleInfo> out = new ArrayList<>();
        for (NftRuleset.RuleInfo r : rs.rules()) {
            if (!r.table().equals(TABLE) || !r.chain().equals(ACCEPT_TO + zone)) continue;
            if (NAT_LEAKAGE.equals(r.comment()) || r.comment() == null && r.source().text().contains("ct state invalid")
                    && r.source().text().contains(logPrefix))
                out.add(r);
        }
        return out;
    }

    /**
     * `nft delete rule` for each rule, as the admin types it. A ruleset read from `nft list ruleset` text without
     * `-a` gives no handles: the command then looks them up as `nft -a list chain` prints them.
     */
    static List<String> deleteCommands(List<NftRuleset.RuleInfo> rules) {
        if (rules.stream().anyMatch(r -> r.handle() == 0)) {
            NftRuleset.RuleInfo r = rules.get(0);
            return List.of("nft -a list chain " + r.table() + " " + r.chain() + " | grep -F 'ct state invalid' | sed 's/.*# handle //'"
                    + " | xargs -n1 nft delete rule " + r.table() + " " + r.chain() + " handle");
        }
        return rules.stream().map(r -> "nft delete rule " + r.table() + " " + r.chain() + " handle " + r.handle()).toList();
    }

    /**
     * fw4's ruleset after `uci set firewall.ZONE.OPTION=VALUE` and `fw4 reload`.
     * @throws Editor.CannotApply for an option whose effect is not modelled here
     */
    static NftRuleset withZoneOption(NftRuleset rs, String zone, String option, String value) {
        if (!option.equals("masq_allow_invalid"))
            throw new Editor.CannotApply(roundtrip.model.Message.of(Sentences.FW4_OPTION_NOT_MODELLED, option));
        if (!isTrue(value))
            throw new Editor.CannotApply(roundtrip.model.Message.of(Sentences.FW4_MASQ_ALLOW_INVALID_NOT_MODELLED, value));
        List<NftRuleset.RuleInfo> gone = natLeakageRules(rs, zone);
        return rs.withoutRules(gone);
    }

    /** fw4's parse_bool: "1", "on", "true", "yes" are true. */
    static boolean isTrue(String v) {
        return switch (v) {
            case "1", "on", "true", "yes" -> true;
            default -> false;
        };
    }
}
