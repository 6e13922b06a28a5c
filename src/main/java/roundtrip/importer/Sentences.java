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
    OPENVPN_CLIENT_STATUS_FILE("a client's status file (OpenVPN STATISTICS, no client list): the server's clients are paired"
            + " without one"),
    OPENVPN_STATUS_EMPTY("empty (OpenVPN empties it when it starts and writes it at the first status interval): not used");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
