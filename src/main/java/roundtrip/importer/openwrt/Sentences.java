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
            + " has with ip6addr, ip6gw and ip6prefix of a static interface)"),
    IP6ASSIGN_NO_PREFIX("ip6assign: no ula_prefix or ip6prefix to assign from (a prefix delegated by the ISP comes at run time):"
            + " no IPv6 address is assigned here"),
    IP6ASSIGN_TOO_LONG("ip6assign {len} of interface '{name}' does not fit in {prefix}: netifd assigns it nothing from that prefix"),
    IP6ASSIGN_NO_ROOM("no free /{len} left in {prefix} for interface '{name}'"),
    IP6GW_WITHOUT_IP6ADDR("ip6gw of interface '{name}' without an ip6addr: netifd adds no IPv6 default route for it"),

    // ------------------------------------------------------------------------------- /etc/config/network
    INTERFACE_NO_DEVICE("interface '{name}' names no device: not simulated"),
    ADDRESS_AT_RUN_TIME("proto {proto} learns its address at run time: {dev} has no IPv4 address here (describe it as proto"
            + " static with the address it has)"),
    IP4TABLE_RULES("ip4table: the rules netifd adds for it are not simulated (write them as config rule)"),
    IPADDR_IS_IPV6("ipaddr '{addr}' of interface '{name}' is an IPv6 address, which netifd refuses there (it reads ipaddr as"
            + " IPv4, INVALID_ADDRESS, and may leave the interface down): not loaded (write it as list ip6addr)"),
    WG_NO_PRIVATE_KEY("{iface}: no private_key: other hosts' peers cannot be paired with it"),
    WG_ENDPOINT_HOST_NAME("endpoint_host {host} is not an address (names are not resolved): peer has no endpoint"),
    ROUTE6_IN_ROUTE("config {type} with an IPv6 target: netifd takes IPv4 routes only in route sections and ignores this one"
            + " (write it as config route6)"),
    ROUTE_IN_ROUTE6("config {type} with an IPv4 target: netifd takes IPv6 routes only in route6 sections and ignores this one"
            + " (write it as config route)"),
    RULE6_IN_RULE("config {type} with an IPv6 address: netifd ignores it (write it as config rule6)"),
    RULE_IN_RULE6("config {type} with an IPv4 address: netifd ignores it (write it as config rule)"),

    // ------------------------------------------------------------------------------- /etc/config/firewall
    ZONE_NETWORK_UNKNOWN("zone {zone}: network '{network}' is not an interface of /etc/config/network: fw4 matches nothing for it"),
    RULE_TIME_NOT_SIMULATED("option {option}: fw4 matches the date and time (meta time/hour/day), which the simulation does not"
            + " know; results that reach this rule are uncertain"),
    RULE_SRC_MAC_NOT_SIMULATED("option src_mac: the sender's MAC address is not simulated; results that reach this rule are"
            + " uncertain"),
    RULE_HELPER_NOT_SIMULATED("option helper: conntrack helpers are not simulated; results that reach this rule are uncertain"),
    RULE_IPSET_LOADFILE("ipset {set} is filled from {file} on the router, which the configuration does not hold; results that"
            + " reach this rule are uncertain"),
    INCLUDE_SCRIPT("the script {path} is not part of the configuration and is not simulated; results that pass where it acts"
            + " are uncertain"),
    INCLUDE_NFT_FILE("the nft file {path} is not part of the configuration and is not simulated; results that pass where it"
            + " acts are uncertain");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
