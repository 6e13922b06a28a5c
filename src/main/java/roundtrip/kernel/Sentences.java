package roundtrip.kernel;

import roundtrip.model.Message;

/** What a host's kernel says about a packet it drops, or about a setting its answer rests on. */
public enum Sentences implements Message.Id {
    // ---- links and addresses (ip_rcv, ip_route_input_slow's martian checks, ip6_forward)
    DEV_DOWN("{dev} is down"),
    MARTIAN_SOURCE("martian source {ip}"),
    MARTIAN_SOURCE_MULTICAST("martian source {ip} (a multicast address)"),
    MARTIAN_SOURCE_LOCAL("martian source {ip}: it is an address of this host"),
    MARTIAN_SOURCE_ROUTE_BACK("martian source {ip}: the route back is {route}"),
    MARTIAN_DESTINATION("martian destination {ip}"),
    MARTIAN_DESTINATION_ROUTE("martian destination {ip} ({route})"),
    MARTIAN_LOOPBACK("martian: loopback address {ip} on {dev}"),
    LINK_LOCAL_SOURCE("the source {ip} is link-local: IPv6 never forwards it off its link"),
    CANNOT_SEND_FROM("cannot send from {ip}: no interface of {host} has it"),

    // ---- forwarding
    FORWARDING_OFF("not addressed to this host and forwarding is off on {dev} ({key} = {value})"),
    IPV6_FORWARDING_OFF("not addressed to this host and IPv6 forwarding is off ({key} = {value})"),
    TTL_EXCEEDED("TTL exceeded in transit (a routing loop, or too many hops)"),
    HOP_LIMIT_EXCEEDED("hop limit exceeded in transit (a routing loop, or too many hops)"),

    // ---- routing: the lookup's answer ({route} is a route as `ip route` prints it)
    NO_SOURCE_ADDRESS("no source address for {route}"),
    NO_USABLE_ROUTE("no usable route to {ip}: {route}; the sender gets {err}"),
    EACCES("EACCES (permission denied)"),
    ENETUNREACH("ENETUNREACH (network is unreachable)"),
    EHOSTUNREACH("EHOSTUNREACH (no route to host)"),
    BLACKHOLE_ROUTE("blackhole route: {route}"),
    NO_ROUTE_IN_ANY_TABLE("no route to {ip} in any table the rules select"),
    ERROR_ROUTE("{type} route: {route}"),

    // ---- the reverse path filter (fib_validate_source)
    RP_NO_ROUTE_BACK("rp_filter: no route back to {ip}"),
    RP_NO_ADDRESS("rp_filter: {dev} has no address"),
    RP_STRICT("rp_filter (strict): the route back to {ip} leaves by {out}, not {dev} ({route})"),

    // ---- netfilter verdicts and NAT ({how} says which chain decided)
    QUEUED("{chain}: queued to user space, outcome unknown"),
    HANDED_TO_USER_SPACE("packet handed to user space (NFQUEUE): outcome unknown"),
    REJECTED("rejected ({with}) by {how}"),
    DROPPED("dropped by {how}"),
    POLICY_OF("the {policy} policy of {chain}"),
    RULE_IN_SUB_CHAIN("a rule in {chain} (chain {sub})"),
    RULE_IN("a rule in {chain}"),
    MASQUERADE_NO_ADDRESS("MASQUERADE: {dev} has no address to use"),
    REDIRECT_NO_ADDRESS("REDIRECT: {dev} has no address"),

    // ---- why the host itself sends a packet (an ICMP error, a reset)
    SENDS_FOR_REJECT("REJECT --reject-with {with}"),
    SENDS_FOR_TTL("TTL exceeded"),
    SENDS_FOR_LINK_LOCAL_SOURCE("link-local source"),
    SENDS_FOR_PROHIBIT_ROUTE("prohibit route"),
    SENDS_FOR_UNREACHABLE("unreachable"),

    // ---- a decision that rests on a setting the snapshot did not hold ({what} is one of the sentences after it)
    IP_FORWARD_ASSUMED("net.ipv4.ip_forward taken as 0, the kernel's default, so {host} does not forward; whether it really forwards"
            + " is not known"),
    IPV6_FORWARDING_ASSUMED("net.ipv6.conf.all.forwarding taken as 0, the kernel's default, so {host} does not forward IPv6; whether"
            + " it really forwards is not known"),
    ROUTE_LOCALNET_ASSUMED("net.ipv4.conf.all.route_localnet taken as 0, the kernel's default: loopback addresses on {dev} are"
            + " dropped as martians unless it is 1"),
    TCP_LOOSE_ASSUMED("net.netfilter.nf_conntrack_tcp_loose taken as 1, the kernel's default: conntrack picks up a TCP connection in"
            + " the middle (NEW), with 0 such a packet is INVALID"),
    RP_SYSCTLS_ASSUMED("the reverse path filter's sysctls (rp_filter, accept_local, src_valid_mark) taken as 0, the kernel's"
            + " defaults: with {values} {host} would {verdict} this packet from {ip} on {dev}"),
    WOULD_ACCEPT("accept"),
    WOULD_DROP("drop");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
