package roundtrip.sim;

import roundtrip.model.Message;

/** What the simulator says about a probe: where a request or an answer ended up, and what the links did with a frame. */
public enum Sentences implements Message.Id {
    // ---- what the receiving socket sends back (Sockets)
    ECHO_REPLY("echo reply"),
    SYN_ACK("SYN-ACK from the listening socket"),
    RST_NOTHING_LISTENS("RST: nothing listens on tcp port {port}"),
    SERVICE_ANSWER("the service's answer"),
    RST_NO_CONNECTION("RST: no connection for this segment"),
    SERVICE_DATAGRAM("the service's datagram"),

    // ---- sockets and delivery: why a half of the probe counts as lost
    REQUEST_DELIVERED_ELSEWHERE("the request was delivered to {host}, not to {target}"),
    NO_ANSWER_SENT("no answer was sent: the request was lost on {host} ({reason})"),
    DATA_ELSEWHERE("the data segment reached {host}, not {server} where the connection was accepted"),
    UDP_NOTHING_LISTENS("nothing listens on udp port {port} (ICMP port unreachable sent)"),
    ECHO_IGNORED("echo requests are ignored ({key})"),
    NO_ANSWER("no answer"),
    ANSWER_DELIVERED_ELSEWHERE("the answer was delivered to {host} instead of {client}"),
    CONNECTION_REFUSED("{what} (connection refused)"),
    PROBER_RECEIVED("the prober received {packet} instead of an answer"),
    ANSWER_FROM_ELSEWHERE("the answer comes from {from} but the prober talks to {expected}; {why}"),
    SYN_ACK_GETS_RST("its kernel answers the SYN-ACK with a RST"),
    UDP_SOCKET_REFUSES("a connected UDP socket does not accept it"),
    PING_IGNORES("ping does not count it as a reply"),
    ANSWER_ADDRESSED_ELSEWHERE("the answer is addressed to {to}, not to the prober's {own}"),
    TUNNEL_PACKET_LOST("the tunnel packet carrying it ({packet}) was lost: {reason}"),
    ROUTING_LOOP("routing loop: {hosts}; the TTL ran out on {host}"),
    TOO_MANY_HOPS("more than {n} hops"),
    LOST_AT_STAGE("{stage}: {reason}"),
    BRIDGED_TRAFFIC("{reason} (bridged traffic, {key} = 1)"),
    TUNNEL_INTO_ITSELF("{log}: the tunnel's own packets are routed into the tunnel"),
    TUNNEL_INTO_ITSELF_STEP("{log} (the tunnel's own packets are routed into the tunnel)"),

    // ---- notes on a probe: what else happened on the way
    ANSWERED_ELSEWHERE("the request was delivered to {host}, not to {target}: {host} answers"),
    ANSWERED_ELSEWHERE_PASSED("the request was delivered to {host} (it passed {target}), not to {target}: {host} answers"),
    RECEIVES_REFUSED("{client} receives {packet} (connection refused)"),
    RECEIVES_FROM("{client} receives {packet} from {origin} ({why})"),
    KEEPALIVE_NO_SOCKET("{host} {dev} sends its {what} to {ep}; it arrives at {at}, where no {kind} socket listens on port {port}"),
    KEEPALIVE_LEARNED("{host} {dev} sends its {what} to {ep}; {peer} learned the endpoint {learned} from it (before the probe)"),
    KEEPALIVE_LOST("{host} {dev} sends its {what} to {ep}, but it is lost on {at}: {reason}"),

    // ---- settings a result rests on (each inside kernel's "not collected: {what}")
    ECHO_IGNORE_ASSUMED("{key} taken as 0, the kernel's default: {host} answers pings unless it is 1"),
    BRIDGE_NF_ASSUMED("{key} taken as 0 (br_netfilter not loaded): frames bridged by {br} skip {host}'s {tool}; with it on they would"
            + " cross its FORWARD chain"),
    ARP_IGNORE_ASSUMED("net.ipv4.conf.*.arp_ignore taken as 0, the kernel's default: {host} answers ARP on {dev} for {ip}, an address"
            + " of another of its interfaces; with arp_ignore = 1 it would not"),
    PROXY_ARP_ASSUMED("net.ipv4.conf.*.proxy_arp and forwarding taken as 0, the kernel's defaults: {host} does not answer ARP on {dev}"
            + " for {ip}; with proxy_arp = 1 it would, as it routes that address elsewhere"),

    // ---- layer 2: links, ARP and neighbour discovery
    POINT_TO_POINT_NO_SEGMENT("{dev} is a point-to-point device ({kind}) with no tunnel configuration in the snapshot and no segment"
            + " in topology.json: roundtrip cannot tell where the program that owns it sends its packets (add a segment joining both"
            + " ends of the tunnel)"),
    NOT_ATTACHED("{dev} is not attached to any segment in topology.json"),
    NO_ARP_ANSWER("no answer to ARP for {ip} on {dev} (no host on that segment has this address)"),
    NO_NS_ANSWER("no answer to neighbour solicitation for {ip} on {dev} (no host on that segment answers for this address)"),
    NS_FILTERED("neighbour discovery for {ip} on {dev} failed: {host} {verb} the neighbour solicitation by {how}"),
    NA_FILTERED("neighbour discovery for {ip} on {dev} failed: {host} {verb} the neighbour advertisement by {how}"),
    NS_NOT_PASSED("neighbour discovery for {ip} on {dev} failed: {host} did not pass the neighbour solicitation ({reason})"),
    NA_NOT_PASSED("neighbour discovery for {ip} on {dev} failed: {host} did not pass the neighbour advertisement ({reason})");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
