package roundtrip.importer;

import roundtrip.model.Message;

/** The sentences the importers say about their inputs (warnings, and what a snapshot did not hold). */
public enum Sentences implements Message.Id {
    // ------------------------------------------------------------------------------- what a snapshot did not hold
    /** A list of what was not collected, one item and the rest. */
    LIST("{first}, {rest}"),
    MISSING_IP_RULE("ip-rule.json (the kernel's three default rules assumed)"),
    MISSING_FIREWALL("iptables-save.txt and nft.json (no firewall rules assumed)"),
    MISSING_SYSCTL("sysctl.txt (the kernel's defaults assumed; a probe whose outcome depends on one is marked uncertain)"),
    MISSING_SS_LISTEN("ss-listen.txt (every probed port taken as open)"),
    MISSING_WG_CONF("wg/{dev}.conf (the WireGuard interface {dev} without its configuration: what is routed into it is lost)"),
    NO_LOCAL_TABLE("no route of table local (not the output of `ip -j -d route show table all`?): the kernel's local and broadcast"
            + " routes were derived from the addresses in ip-addr.json"),

    // ------------------------------------------------------------------------------- snapshot files and host files
    SOCKET_BOUND_TO_DEVICE("socket bound to device {dev}: taken to accept on every interface (device binding is not simulated)"),
    NO_CARRIER("interface {name} is up but has no carrier ({flags}): packets sent through it go nowhere"),
    NDP_PROXY_IPV4_ENTRY("an IPv4 proxy entry in the IPv6 neighbour proxy table (not the output of `ip -6 -j neigh show proxy`?):"
            + " not read"),
    ROUTE_TOS_NAME("route for tos \"{tos}\" (a name from the host's rt_dsfield, value unknown) is ignored"),
    ROUTE_MULTIPATH("multipath route with {n} next hops: only the first next hop is used"),
    ROUTE_VIA_OTHER_FAMILY("route via an {family} next hop ({host}) is not simulated: the route is treated as having no gateway"),
    ROUTE_NEXTHOP_OBJECT("route uses nexthop object {id} (ip nexthop), which is not in the snapshot"),
    ROUTE_ENCAP("route has a lightweight tunnel encapsulation (encap), which is not simulated"),
    /** {why}: one of the RULE_ reasons below. */
    RULE_IGNORED("rule ignored: {why}"),
    RULE_TOS_NAME("tos \"{tos}\" is a name from the host's rt_dsfield whose value is unknown"),
    RULE_SELECTOR_NOT_SIMULATED("selector \"{selector}\" is not simulated"),
    RULE_SELECTOR_L3MDEV("selector \"l3mdev\" (VRF) is not simulated"),
    RULE_NO_SUCH_INTERFACE("no interface \"{dev}\" on {host}: the rule matches nothing until it exists"),
    RULE_GOTO_NO_SUCH_PRIORITY("goto {priority}: no rule has that priority"),
    ROUTE_ADDED_BY_KERNEL("the kernel already adds this route for the address: the line is not needed"),
    TABLE_NAME_UNKNOWN("routing table name \"{table}\" is not a reserved name and the host's rt_tables is not in the snapshot:"
            + " its number is unknown; routes and rules naming it are kept together as table {standIn}"),
    ALLOW_WITHOUT_FORWARD_DROP("\"allow\" has no effect without \"forward: drop\""),
    WG_NO_INTERFACE_IN_SNAPSHOT("no interface {dev} in ip-addr.json: its WireGuard configuration is not used"),
    WG_UNKNOWN_INTERFACE_SETTING("unknown [Interface] setting \"{key}\" ignored"),
    WG_UNKNOWN_PEER_SETTING("unknown [Peer] setting \"{key}\" ignored"),
    WG_PEER_KEY_REDACTED("peer public key is redacted: this peer cannot be paired with a host"),
    WG_NO_KEY("{dev}: no PrivateKey or PublicKey: other hosts' peers cannot be paired with it"),

    // ------------------------------------------------------------------------------- saved rules (after a reboot)
    NO_SAVED_RULES("no saved rules for this host: its live iptables rules are assumed to come back after a reboot (by a tool"
            + " the snapshot does not show)"),
    LIVE_NFT_DIFFERS("the live nft ruleset differs from the saved one: {lost} live rule(s) or chain(s) would be lost and {back}"
            + " saved one(s) would come back at the next reboot (roundtrip diff shows them)"),
    LIVE_IPTABLES_DIFFERS("the live iptables rules differ from the saved ones: {lost} live rule(s) would be lost and {back} saved"
            + " rule(s) would come back at the next reboot (roundtrip diff shows them)"),
    NFT_TABLE_NO_SAVED_FILE("no saved/nftables.conf for this host: this live nft table is assumed to come back after a reboot"
            + " (made again by the program that made it, or by a tool the snapshot does not show)"),
    NFT_TABLE_NOT_SAVED("not in saved/nftables.conf: this live nft table is assumed to be made again at boot by the program"
            + " that made it (firewalld, Docker, fw4 ...); if it was added by hand it is lost"),

    // ------------------------------------------------------------------------------- WireGuard files
    WG_ENDPOINT_ZONE("Endpoint {ep}: the zone {zone} (the interface a link-local endpoint is reached through) is not simulated:"
            + " the address is taken without it"),
    WG_ENDPOINT_NAME_UNKNOWN("Endpoint {name}: roundtrip does not ask DNS, and the network file's names: map does not give this"
            + " name: the peer has no endpoint (add \"names: {{name}: ADDRESS}\")"),
    WG_ALLOWED_IPS_TAKEN_BY_LATER_PEER("AllowedIPs {net} is also given to the peer of line {line}, which takes it from this one"
            + " (WireGuard routes a prefix to one peer, the last one given it)"),
    WG_FULL_TUNNEL_WITHOUT_FWMARK("{dev}: a wg-quick file routing everything (AllowedIPs /0) without FwMark, but the collected"
            + " rules lack wg-quick's \"not fwmark T lookup T\" with a default route through {dev} in table T: the interface is"
            + " taken as having no fwmark"),

    // ------------------------------------------------------------------------------- wg-quick files: what wg-quick up does
    WG_QUICK_DNS("DNS = {value}: wg-quick hands it to resolvconf; name resolution is not simulated, so it changes nothing here"),
    HOOK_NOT_RUN("hook command \"{program}\" is not run by roundtrip: whatever it changes is not in the simulation"),
    HOOK_IP_NOT_RUN("hook command \"ip {object} {verb}\" is not run by roundtrip (it runs ip route/rule/address add): whatever it"
            + " changes is not in the simulation"),
    HOOK_IP_ADDRESS_INCOMPLETE("ip address add without an address and \"dev IF\": not run"),
    HOOK_SYSCTL_READS_FILES("sysctl {option} reads files roundtrip does not see: not run"),
    HOOK_SYSCTL_NOT_NETWORK("sysctl: no network setting (net.*) in it: not simulated"),
    HOOK_NFT_FILE("nft {option}: roundtrip does not read the file it names; its rules are not in the simulation (give them"
            + " under nft:)"),
    HOOK_IPTABLES_NOT_RUN("iptables command not run by roundtrip (it runs -A, -I, -D, -N and -P): {command}"),
    HOOK_IPTABLES_NO_SUCH_RULE("iptables -D: no such rule in {table}/{chain} (iptables answers \"Bad rule\")"),
    /** {why}: what the iptables text refused, in its own words. */
    HOOK_IPTABLES_FAILED("iptables command not run: {why}"),

    // ------------------------------------------------------------------------------- errors that stop the run (wg-quick refuses the file)
    WG_QUICK_SAVECONFIG("SaveConfig: `{value}' is neither true nor false (wg-quick refuses the file)"),
    MTU_NOT_A_NUMBER("MTU: not a number: {value}"),
    MTU_OUT_OF_RANGE("MTU out of range: {mtu}"),
    ADDRESS_NOT_AN_ADDRESS("Address: not an address: {value}"),
    WG_NO_INTERFACE("wireguard {dev}: no interface {dev} on host {host} (declare it, or give the wg-quick file with its Address)"),

    // ------------------------------------------------------------------------------- OpenVPN configuration
    OPENVPN_PLUGIN("plugin {file}: a plugin runs inside OpenVPN and may change who is accepted and what is pushed or routed;"
            + " it is not simulated (taken to change nothing)"),
    OPENVPN_DEV_NULL("dev null: this instance has no tun or tap device, so it carries no packet between the kernel and the"
            + " tunnel: it is not simulated"),
    OPENVPN_27_OPTION_IGNORED("{option} is an OpenVPN 2.7 option: OpenVPN 2.6 ignores it with a warning, as ignore-unknown-option"
            + " or setenv opt says"),
    OPENVPN_27_OPTION_STOPS("{option} is an OpenVPN 2.7 option: OpenVPN 2.6 stops at it (Unrecognized option) unless"
            + " ignore-unknown-option names it"),
    OPENVPN_UNKNOWN_WINDOWS_OPTION("OpenVPN does not know \"{option}\" (an option of OpenVPN on Windows) and ignores it with a"
            + " warning, as ignore-unknown-option or setenv opt says"),
    OPENVPN_UNKNOWN_OPTION("OpenVPN does not know \"{option}\" and ignores it with a warning, as ignore-unknown-option or setenv"
            + " opt says"),
    OPENVPN_DIRECTIVE_NOT_SIMULATED("OpenVPN directive \"{option}\" is not simulated: ignored, but it may change how packets are"
            + " routed"),
    OPENVPN_DEV_NUMBERED("dev {dev}: the kernel names the device when OpenVPN starts; taken to be {picked}, the first {dev}N no"
            + " other configuration names"),
    OPENVPN_NO_INTERFACE("no interface {dev} in ip-addr.json (OpenVPN not running?): this configuration is not used"),
    OPENVPN_CCD_WITHOUT_SERVER("ccd/ or status.log without a server configuration: not used"),
    OPENVPN_SERVERS_SHARE_CCD("several server configurations share ccd/ and status.log: both are given to {file}"),
    OPENVPN_CCD_WITHOUT_CLIENT_CONFIG_DIR("ccd/ has files but the server has no client-config-dir: OpenVPN never reads them, so"
            + " their iroute and ifconfig-push lines have no effect"),
    OPENVPN_LOCAL_NOT_ADDRESS("local is not an address (names are not resolved): the socket is taken to be bound to all addresses"),
    OPENVPN_SCRIPT_ROUTING("{option}: OpenVPN leaves (part of) the routing to a script or to nobody; the routes in the snapshot"
            + " are what counts, and pushed routes may not be installed"),
    OPENVPN_CCD_ONLY_OPTION("{option} is only valid in a client-config-dir file (OpenVPN refuses it here: option cannot be used"
            + " in this context): it is not used"),
    OPENVPN_REMOTE_FAMILY("remote {host} is an {family} address but proto {proto} opens an {socket} socket: OpenVPN cannot use"
            + " this remote"),
    OPENVPN_REMOTE_IN_SERVER("remote in a server configuration is ignored by OpenVPN in server mode"),
    OPENVPN_CCD_NOT_ALLOWED("\"{option}\" in a client-config-dir file: not allowed there, OpenVPN ignores it with an error"),
    OPENVPN_CCD_UNKNOWN("\"{option}\" in a client-config-dir file: unknown directive, ignored, but it may change how packets are"
            + " routed"),
    OPENVPN_PUSHED_NOT_MODELLED("pushed option \"{option}\" is not modelled"),
    OPENVPN_CLIENT_STATUS_FILE("a client's status file (OpenVPN STATISTICS, no client list): the server's clients are paired"
            + " without one"),
    OPENVPN_STATUS_EMPTY("empty (OpenVPN empties it when it starts and writes it at the first status interval): not used");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
