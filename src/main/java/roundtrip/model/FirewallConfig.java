package roundtrip.model;

import roundtrip.netfilter.Ruleset;

import java.util.List;

/**
 * The configuration a host's firewall ruleset is generated from, when the input holds it (OpenWrt's
 * /etc/config/firewall, from which fw4 generates its nftables ruleset). A fix can then change an option of the
 * configuration and have the ruleset generated again, as the router does on reload.
 */
public interface FirewallConfig {
    /** The configuration file as the input names it. */
    String file();

    /**
     * How uci addresses the section of zone {@code zone}: its name for a named section, "@zone[N]" (N counted from 0
     * over the file's zone sections) for an anonymous one; null when no enabled zone has that name.
     */
    String zoneSection(String zone);

    /** The value of a zone's option as written; null when it is not set or there is no such zone. */
    String zoneOption(String zone, String option);

    /**
     * This configuration with {@code option} of zone {@code zone} set to {@code value}.
     * @throws IllegalArgumentException when there is no such zone
     */
    FirewallConfig withZoneOption(String zone, String option, String value);

    /**
     * This configuration with {@code value} added to list {@code key} of zone {@code zone} (uci add_list).
     * @throws IllegalArgumentException when there is no such zone
     */
    FirewallConfig withZoneListItem(String zone, String key, String value);

    /** The interface (of /etc/config/network) whose device {@code device} is; null when none is. */
    String networkOfDevice(String device);

    /** The zones {@code device}'s traffic belongs to: by its interface's name in the zone's networks, or by a device entry. */
    List<String> zonesOfDevice(String device);

    /** The zones the forwarding sections let {@code zone} forward to ({@code fromZone}), or forward to it (else). */
    List<String> forwardings(String zone, boolean fromZone);

    /** The ruleset generated from this configuration; what cannot be generated is added to {@code problems}. */
    Ruleset ruleset(List<Problem> problems);
}
