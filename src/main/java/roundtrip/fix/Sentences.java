package roundtrip.fix;

import roundtrip.model.Message;

/** The sentences the fixes say: where a change goes to survive a reboot, what to know before running it, why it could not be applied. */
public enum Sentences implements Message.Id {
    /** Persistence: routes and policy rules (ip route / ip rule), in /etc/network/interfaces, netplan or /etc/config/network. */
    IPTABLES_NFT_NOT_TRANSLATED("iptables-nft would insert `{spec}` into its nftables table; roundtrip cannot write that rule in nft's words to simulate it"),
    PERSIST_RA_ROUTE("nothing to keep: the router's next advertisement on {dev} refreshes this route, now that {dev} takes them"),
    PERSIST_IP_COMMANDS("/etc/network/interfaces: each ip route / ip rule command above as a `post-up` line in the stanza of its"
            + " interface (netplan: `routes:` with `table:`, and `routing-policy:`)"),
    PERSIST_THEN_REPLACE("{then}; replace the configuration that adds `{old}`"),
    PERSIST_ROUTE_IFACE("/etc/network/interfaces: `post-up {command}` in the `iface {dev}` stanza (netplan: a `routes:` entry of {dev})"),
    PERSIST_ROUTE_IFACE_TABLE("/etc/network/interfaces: `post-up {command}` in the `iface {dev}` stanza (netplan: a `routes:` entry of {dev}"
            + " with `table: {table}`)"),
    PERSIST_ROUTE_UCI("/etc/config/network: a `config {section}` section ({options}, option interface = the network of {dev})"),
    PERSIST_RULE_IFACE("/etc/network/interfaces: `post-up {command}` in the stanza of the interface it belongs to (netplan: a `routing-policy:` entry)"),
    PERSIST_RULE_UCI("/etc/config/network: a `config {section}` section ({options})"),
    PERSIST_DEL_ROUTE("remove what adds `{route}` at boot: a `post-up` line in /etc/network/interfaces, a netplan `routes:` entry,"
            + " or a script of the program that installed it"),
    PERSIST_DEL_ROUTE_FROM("remove what adds `{route}` at boot (read from {where}): a `post-up` line in /etc/network/interfaces, a netplan"
            + " `routes:` entry, or a script of the program that installed it"),
    PERSIST_DEL_ROUTE_UCI("/etc/config/network: remove the `config route` section that adds `{route}`"),
    PERSIST_DEL_ROUTE_UCI_FROM("/etc/config/network: remove the `config route` section that adds `{route}` (read from {where})"),
    PERSIST_DEL_RULE("remove what adds `{rule}` at boot: a `post-up` line in /etc/network/interfaces, a netplan `routing-policy:` entry,"
            + " or a script of the program that installed it"),
    PERSIST_DEL_RULE_FROM("remove what adds `{rule}` at boot (read from {where}): a `post-up` line in /etc/network/interfaces, a netplan"
            + " `routing-policy:` entry, or a script of the program that installed it"),
    PERSIST_DEL_RULE_UCI("/etc/config/network: remove the `config rule` section that adds `{rule}`"),
    PERSIST_DEL_RULE_UCI_FROM("/etc/config/network: remove the `config rule` section that adds `{rule}` (read from {where})"),
    PERSIST_NDP_PROXY_IFACE("/etc/network/interfaces: `post-up {command}` in the `iface {dev}` stanza (or ndppd with a `proxy {dev}`"
            + " rule for the whole prefix)"),
    PERSIST_NDP_PROXY_UCI("/etc/config/dhcp: option ndp 'relay' on the upstream and the downstream interface (odhcpd), or a hotplug"
            + " script with the command"),

    /** Persistence: iptables rules and policies, by the tool that owns the host's firewall. */
    PERSIST_DOCKER_USER("dockerd creates DOCKER-USER and leaves its rules alone, but nothing saves them across a reboot: run each"
            + " command after docker starts (a drop-in for docker.service with one `ExecStartPost=/usr/sbin/iptables ...`"
            + " line per command), not from a full iptables-save, which would restore Docker's own chains too"),
    PERSIST_UFW_LINE("{file}: the line `{line}` in its *filter section, then `ufw reload`: ufw makes the whole ruleset again at every"
            + " start, and an iptables-save file is not read"),
    PERSIST_UFW_LINE_TABLE("{file}: the line `{line}` in its *{table} section (a `*{table}` section with `:{chain} ACCEPT [0:0]` and"
            + " COMMIT, before *filter, when there is none), then `ufw reload`: ufw makes the whole ruleset again at every start, and"
            + " an iptables-save file is not read"),
    PERSIST_FIREWALLD_DIRECT("firewall-cmd --permanent --direct --add-rule {rule} (firewalld makes the whole ruleset again at every"
            + " start, and an iptables-save file is not read)"),
    PERSIST_IPTABLES_FW3("/etc/firewall.user (fw3), or the equivalent section in /etc/config/firewall"),
    PERSIST_IPTABLES_UFW("ufw makes the whole ruleset again at every start (an iptables-save file is not read): the same change in"
            + " /etc/ufw/before.rules or after.rules (a policy: /etc/default/ufw), then `ufw reload`"),
    PERSIST_IP6TABLES_UFW("ufw makes the whole ruleset again at every start (an iptables-save file is not read): the same change in"
            + " /etc/ufw/before6.rules or after6.rules (a policy: /etc/default/ufw), then `ufw reload`"),
    PERSIST_IPTABLES_FIREWALLD("firewalld makes the whole ruleset again at every start (an iptables-save file is not read): a rule it"
            + " made comes back unless the zone's --permanent settings change; a rule of your own goes in as firewall-cmd --permanent --direct"),
    PERSIST_IPTABLES_SAVE("{command} (Debian/Ubuntu: package iptables-persistent restores it at boot)"),
    PERSIST_POLICY_UCI("/etc/config/firewall: option forward '{policy}' in the `defaults` (or the zone's) section"),
    PERSIST_NFT_TABLE_OWNER("the program that owns table {family} {table} makes it again at its start: the change belongs in its configuration"),
    PERSIST_NFT_WG_QUICK("the program that adds it (here wg-quick) adds it again at its next start"),

    /** Persistence: the firewall tools that write their own configuration (ufw, firewalld, uci). */
    PERSIST_UFW_USER_RULES("ufw keeps the rule in /etc/ufw/user.rules itself: it survives a reboot"),
    PERSIST_UFW_DEFAULT_ROUTED("ufw writes DEFAULT_FORWARD_POLICY=\"ACCEPT\" to /etc/default/ufw: it survives a reboot"),
    PERSIST_FIREWALLD_PERMANENT("--permanent writes it to /etc/firewalld/zones/{zone}.xml: it survives a reboot"),
    PERSIST_UCI_ZONE_OPTION("uci commit writes /etc/config/firewall (option {option} '{value}' in zone '{zone}'), which survives a reboot;"
            + " fw4 reload (as /etc/init.d/firewall reload) applies it now"),
    PERSIST_UCI_ZONE_LIST("uci commit writes /etc/config/firewall (list {key} '{value}' in zone '{zone}'), which survives a reboot;"
            + " fw4 reload (as /etc/init.d/firewall reload) applies it now"),

    /** Persistence: tunnels (WireGuard, OpenVPN). */
    PERSIST_WG_ALLOWED_IPS_UCI("{command} (add route_allowed_ips '1' to that section, or a route, for the kernel route)"),
    PERSIST_WG_ALLOWED_IPS("/etc/wireguard/{dev}.conf: `AllowedIPs = {list}` in the [Peer] with PublicKey = {key} (wg-quick then also adds the route)"),
    PERSIST_WG_FWMARK("/etc/wireguard/{dev}.conf: `FwMark = {mark}` in [Interface]"),
    PERSIST_WG_QUICK_FULL_TUNNEL("{file} keeps `AllowedIPs = {list}` in the [Peer] with PublicKey = {key}: wg-quick (and systemd's"
            + " wg-quick@{dev}) sets the rest up again at every start"),
    PERSIST_OPENVPN_IROUTE("{file} (relative to the working directory of the server, where {config} is) is read when {cn} connects: the"
            + " line takes effect at its next connection and stays; the server configuration needs `{route}` for the kernel route"),
    PERSIST_OPENVPN_IROUTE_NO_CONFIG("{file} (relative to the working directory of the server, where its config is) is read when {cn}"
            + " connects: the line takes effect at its next connection and stays; the server configuration needs `{route}` for the kernel route"),
    PERSIST_OPENVPN_SIGNAL("a signal, nothing to keep: {why} (under systemd, which starts {config} in /etc/openvpn/client or"
            + " /etc/openvpn/server: systemctl kill -s {signal} {unitClient} or {unitServer})"),
    PERSIST_OPENVPN_CONFIG_ITSELF("{file} is the configuration itself ({where} was `{old}`): the new line stays"),

    /** What an OpenVPN signal of a fix is for. */
    SIGNAL_CLIENT_RECONNECTS_FOR_CCD("{cn}'s OpenVPN reconnects, and the server reads {file} as it does at every connection"),
    SIGNAL_CLIENT_REREADS_DEF1("OpenVPN re-reads {config}, puts back the old default route and connects again with def1"),
    SIGNAL_SERVER_REREADS("the server re-reads {config}; a client gets the new line when it connects again"),
    SIGNAL_CLIENT_RECONNECTS_FOR_PUSH("{cn}'s OpenVPN puts back the old default route and reconnects to receive the new line"),

    /** Notes printed with a change's command. */
    NOTE_UCI_ZONE_INDEX("N is the index of zone '{zone}' among the zone sections of /etc/config/firewall, which roundtrip was not given"
            + " (fw4's ruleset names the zone, not its place): {show} prints it as {line}"),
    NOTE_NFT_EQUIVALENT("the same on the running ruleset, lost at the next fw4 reload or reboot: {commands}"),
    NOTE_RUNNING_RULES("the same on the running rules: {commands}"),

    /** Why a fix could not be applied to the network (its verification's error). */
    NO_HOST("no host {host}"),
    WG_NOT_A_PEER("wg: peer {key} is not a peer of {dev}"),
    ROUTE_EXISTS("RTNETLINK answers: File exists ({route})"),
    NO_WIREGUARD_ON_DEVICE("no WireGuardConfig on device {dev}"),
    NO_OPENVPN_ON_DEVICE("no OpenVpnConfig on device {dev}"),
    NO_TUNNEL_ON_DEVICE("no {kind} on device {dev}"),
    FIREWALL_NOT_IPTABLES("{host}: its firewall is not an iptables-save file; the iptables change cannot be simulated"),
    IPTABLES_BAD_RULE("iptables: Bad rule (does a matching rule exist in that chain?): {line}"),
    ROUTE_NO_SUCH_PROCESS("RTNETLINK answers: No such process ({route})"),
    RULE_NO_SUCH_FILE("RTNETLINK answers: No such file or directory ({rule})"),
    NOT_THE_REDIRECT_GATEWAY("{where} is not the redirect-gateway of {host} {dev}"),
    NOT_PUSHED_BY("{where} is not pushed by {host} {dev}"),
    IPTABLES_AND_UCI_TOGETHER("{host}: an iptables change and a uci change in one fix are not simulated together"),
    UCI_NO_SUCH_ZONE("uci: {file} has no zone named '{zone}'"),
    UCI_NOTHING_KNOWN("{host}: neither /etc/config/firewall nor fw4's ruleset (table inet fw4) is known: the uci change cannot be simulated"),
    UCI_CONFIG_UNKNOWN("{host}: /etc/config/firewall is not known: a zone's members cannot be changed"),
    NO_NFT_TABLE("{host}: no nft table {family} {table}"),
    NFT_REFUSED("nft: {line}: {problem}"),
    FW4_OPTION_NOT_MODELLED("fw4 option {option}: its effect on the generated ruleset is not modelled (the snapshot holds the ruleset,"
            + " not /etc/config/firewall)"),
    FW4_MASQ_ALLOW_INVALID_NOT_MODELLED("fw4 option masq_allow_invalid '{value}': the rules fw4 would add are not modelled");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
