package roundtrip.importer.openwrt;

import roundtrip.model.Message;

/** The sentences the OpenWrt importer says about /etc/config files. */
public enum Sentences implements Message.Id {
    // ------------------------------------------------------------------------------- IPv6: what a configuration leaves to run time
    IPV6_AT_RUN_TIME("interface '{name}' (proto {proto}) learns its IPv6 at run time: its addresses, default route and delegated"
            + " prefix are not in the configuration, so the simulation has none of them (describe what the router has with"
            + " ip6addr, ip6gw and ip6prefix of a static interface)"),
    IPV6_AT_RUN_TIME_ON("interface '{name}' (proto {proto}) learns its IPv6 at run time on {dev}: its addresses, default route"
            + " and delegated prefix are not in the configuration, so the simulation has none of them (describe what the router"
            + " has with ip6addr, ip6gw and ip6prefix of a static interface)");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
