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
    private final Map<String, Fw4Translation.Network> networks;

    Fw4Config(Uci firewall, Map<String, Fw4Translation.Network> networks) {
        this.firewall = firewall;
        this.networks = Map.copyOf(networks);
    }

    @Override public String file() { return firewall.file(); }

    /** The zone section fw4 uses for {@code zone}: the first enabled one of that name (fw4 refers to zones by name, first match). */
    private Uci.Section zone(String zone) {
        for (Uci.Section s : firewall.sections("zone"))
            if (Boolean.TRUE.equals(Fw4Options.bool(s.get("enabled", "1"))) && zone.equals(s.get("name"))) return s;
        return null;
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
        return new Fw4Config(firewall.withOption(s, option, value), networks);
    }

    @Override public Ruleset ruleset(List<Problem> problems) {
        return Fw4Translation.ruleset(firewall, networks, problems);
    }
}
