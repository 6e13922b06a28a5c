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

    @Override public Fw4Config withZoneListItem(String zone, String key, String value) {
        Uci.Section s = zone(zone);
        if (s == null) throw new IllegalArgumentException(firewall.file() + ": no zone named '" + zone + "'");
        return new Fw4Config(firewall.withListItem(s, key, value), networks);
    }

    @Override public String networkOfDevice(String device) {
        for (Map.Entry<String, Fw4Translation.Network> e : networks.entrySet())
            if (device.equals(e.getValue().device())) return e.getKey();
        return null;
    }

    @Override public List<String> zonesOfDevice(String device) {
        String network = networkOfDevice(device);
        List<String> out = new java.util.ArrayList<>();
        for (Uci.Section s : firewall.sections("zone")) {
            if (!Boolean.TRUE.equals(Fw4Options.bool(s.get("enabled", "1"))) || s.get("name") == null) continue;
            boolean member = network != null && s.list("network").stream().anyMatch(v -> v.text().equals(network));
            for (Uci.Value v : s.list("device")) {
                String d = v.text();
                // fw4 takes a trailing + (iptables' wildcard) or * as a prefix match
                if (d.endsWith("+") || d.endsWith("*")) member |= device.startsWith(d.substring(0, d.length() - 1));
                else member |= device.equals(d);
            }
            if (member && !out.contains(s.get("name"))) out.add(s.get("name"));
        }
        return out;
    }

    @Override public List<String> forwardings(String zone, boolean fromZone) {
        List<String> out = new java.util.ArrayList<>();
        for (Uci.Section s : firewall.sections("forwarding")) {
            if (!Boolean.TRUE.equals(Fw4Options.bool(s.get("enabled", "1")))) continue;
            String other = fromZone ? s.get("dest") : s.get("src");
            if (zone.equals(fromZone ? s.get("src") : s.get("dest")) && other != null && !out.contains(other)) out.add(other);
        }
        return out;
    }

    @Override public Ruleset ruleset(List<Problem> problems) {
        return Fw4Translation.ruleset(firewall, networks, problems);
    }
}
