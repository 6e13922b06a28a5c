package roundtrip.importer.openwrt;

import roundtrip.model.FirewallConfig;
import roundtrip.model.Problem;
import roundtrip.netfilter.Ruleset;

import java.util.List;
import java.util.Map;

/**
 * A router's /etc/config/firewall with the devices of its networks (from /etc/config/network): what
 * {@link Fw4Translation} needs to generate the ruleset again after a fix changed an option, as `fw4 reload` does.
 */
final class Fw4Config implements FirewallConfig {
    private final Uci firewall;
    private final Map<String, String> deviceOf;

    Fw4Config(Uci firewall, Map<String, String> deviceOf) {
        this.firewall = firewall;
        this.deviceOf = Map.copyOf(deviceOf);
    }

    @Override public String file() { return firewall.file(); }

    /** The zone section fw4 uses for {@code zone}: the last enabled one of that name, as the translation keeps it. */
    private Uci.Section zone(String zone) {
        Uci.Section found = null;
        for (Uci.Section s : firewall.sections("zone"))
            if (s.flag("enabled", true) && zone.equals(s.get("name", s.name))) found = s;
        return found;
    }

    @Override public String zoneSection(String zone) {
        Uci.Section s = zone(zone);
        if (s == null) return null;
        return s.name != null ? s.name : "@zone[" + firewall.sections("zone").indexOf(s) + "]";
    }

    @Override public String zoneOption(String zone, String option) {
        Uci.Section s = zone(zone);
        return s == null ? null : s.get(option);
    }

    @Override public Fw4Config withZoneOption(String zone, String option, String value) {
        Uci.Section s = zone(zone);
        if (s == null) throw new IllegalArgumentException(firewall.file() + ": no zone named '" + zone + "'");
        return new Fw4Config(firewall.withOption(s, option, value), deviceOf);
    }

    @Override public Ruleset ruleset(List<Problem> problems) {
        return Fw4Translation.ruleset(firewall, deviceOf, problems);
    }
}
