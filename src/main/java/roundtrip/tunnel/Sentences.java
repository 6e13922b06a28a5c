package roundtrip.tunnel;

import roundtrip.model.Message;

/** The sentences the tunnel daemons' models say: their drops (quoting the daemon's log line) and the configuration warnings. */
public enum Sentences implements Message.Id {
    // ---- WireGuard's drops, in the words the kernel module logs
    WG_NO_PEER("{dev}: No peer has allowed IPs matching {ip}"),
    WG_NO_ENDPOINT("{dev}: No valid endpoint has been configured or discovered for peer {peer} (no Endpoint, and no packet from it"
            + " arrived before: it sends no PersistentKeepalive, or its keepalive did not get through)"),
    WG_INVALID_HANDSHAKE("{dev}: Invalid handshake initiation from {from} (its public key is not a [Peer] of {dev})"),
    WG_UNALLOWED_SOURCE("{dev}: Packet has unallowed src IP ({ip}) from peer {peer} ({from})"),

    // ---- OpenVPN's drops, in the words the daemon logs (or what it does without a log line)
    OVPN_NO_CLIENT("no client has the virtual address or an iroute for {ip}: the server drops the packet (multi.c logs only"
            + " \"GET INST BY VIRT: {ip} [failed]\", at verb 7){clients}"),
    OVPN_NO_CLIENTS("; the server knows no clients"),
    OVPN_CLIENTS("; its clients: {list}"),
    OVPN_CLIENT_UNLOCATED("client {cn} has {ip}, but where it connects from is unknown (not in status.log, no client host in the snapshot)"),
    OVPN_NO_SESSION("a packet from {from} belongs to no client session of the server (no status.log entry or client configuration"
            + " pairs with it)"),
    OVPN_BAD_SOURCE_NO_IROUTES("{client} MULTI: bad source address from client [{src}], packet dropped (the source is not {cn}'s"
            + " virtual address {virtual} nor in its iroutes []{owner}{verb})"),
    OVPN_BAD_SOURCE("{client} MULTI: bad source address from client [{src}], packet dropped (the source is not {cn}'s virtual address"
            + " {virtual} nor in its iroutes {iroutes}{owner}{verb})"),
    OVPN_VIRTUAL_UNKNOWN("(unknown)"),
    OVPN_SOURCE_BELONGS_TO("; it belongs to {cn}"),
    OVPN_LOGGED_AT_VERB_4("; OpenVPN logs this at verb 4 and above"),
    OVPN_LOGGED_AT_VERB_4_SILENT("; OpenVPN logs this at verb 4 and above, and this server runs at verb {verb}, so its log is silent"),
    OVPN_LINK_LOCAL_SOURCE("{client} the packet's source {src} is a link-local IPv6 address, which the server never routes: dropped"
            + " without a log line"),
    OVPN_RECURSIVE_ROUTING("Recursive routing detected, drop tun packet to {peer}"),
    OVPN_NO_PEER_TO_SEND_TO("no remote with an address and no peer has connected yet: the tunnel has no peer to send to"),
    OVPN_TAP_ARP_UNANSWERED("TAP: the ARP request for {ip} (client {cn}) is never answered: without client-to-client the server writes"
            + " the broadcast to its own tap device, and its kernel answers ARP only for its own addresses"),
    OVPN_INCOMING_REJECTED("TCP/UDP: Incoming packet rejected from {from}[2], expected peer address: {expected} (allow this incoming"
            + " source address/port by removing --remote or adding --float)"),

    // ---- WireGuard configurations that do not pair
    WG_PEERS_GUESSED("{dev} on {host}: public keys are missing, the peer sending from {ip} was assumed to be this [Peer]"),
    WG_PEER_UNPAIRED("{host} {dev}: peer {key} matches no WireGuard interface in the snapshot (keys do not pair): packets to it cannot be"
            + " followed"),
    WG_ENDPOINT_NOBODYS("{host} {dev}: Endpoint {ip} is an address no host in the snapshot has (it may be behind NAT)"),
    UNKNOWN_TUNNEL_KIND("tunnel configuration of an unknown kind: {kind}"),

    // ---- OpenVPN clients and servers that do not pair
    OVPN_REMOTE_NAME_UNRESOLVED("{host} {dev}: remote {name} is a host name no names: entry of a network file maps to an address"
            + " (roundtrip never asks DNS; add names: {{name}: ADDRESS}): the tunnel's server side is not simulated"),
    OVPN_REMOTE_NAME_UNRESOLVED_FOLLOWS("{host} {dev}: remote {name} is a host name no names: entry of a network file maps to an address"
            + " (roundtrip never asks DNS; add names: {{name}: ADDRESS}): the simulation follows remote {other}"),
    OVPN_REMOTE_FAMILY_UNTAKEN("{host} {dev}: remote {addr} is an address of the family its proto does not take: the tunnel's server"
            + " side is not simulated"),
    OVPN_REMOTE_FAMILY_UNTAKEN_FOLLOWS("{host} {dev}: remote {addr} is an address of the family its proto does not take: the"
            + " simulation follows remote {other}"),
    OVPN_TAP_AT_LAYER_3("{host} {dev}: TAP mode is simulated at layer 3 like tun (MAC learning, ARP and broadcasts are not simulated):"
            + " results for it are less certain"),
    OVPN_ROUTE_NOT_COLLECTED("{host}: OpenVPN ({dev}) installs a route to {dst}, but the collected routing table has none (route add"
            + " failed, e.g. without the rights to add it; or the table changed since)"),
    OVPN_REMOTE_NO_SERVER("{host} {dev}: remote {addr} is {owner}, which has no OpenVPN server listening on {proto} port {port}: the"
            + " tunnel cannot come up{lost}"),
    OVPN_REMOTE_FORWARDED("{host} {dev}: remote {addr} is no host's address; taken to reach the only server on {proto} port {port},"
            + " {server} (port forwarding?)"),
    OVPN_REMOTE_NO_SERVER_MATCHES("{host} {dev}: remote {addr} is no host's address and no server matches: the server side is not"
            + " simulated{lost}"),
    OVPN_REMOTE_SERVERS_MATCH("{host} {dev}: remote {addr} is no host's address and more than one server matches: the server side is"
            + " not simulated{lost}"),
    OVPN_FIRST_PACKET_LOST(" (its first packet to the remote is lost on {at}: {reason})"),
    OVPN_FIRST_PACKET_UNANSWERED(" (its first packet to the remote arrives on {host} at {addr}, where no OpenVPN server listens)"),
    OVPN_NO_VIRTUAL_IN_STATUS("client {cn} has no virtual address in the status file"),
    OVPN_CLIENT_DISABLED("client {cn} is disabled by its CCD file: the server refuses it"),
    OVPN_CCD_EXCLUSIVE("client {cn} has no CCD file and the server has ccd-exclusive: the server refuses it"),
    OVPN_CCD_PUSHES_OTHER("client {cn} has {ip} on {dev} but its CCD pushes {pushed}: the server's table uses the pushed one"),
    OVPN_NO_ADDRESS_NO_POOL("client {cn} ({id}) has no address on {dev}: and the server has no pool; its packets cannot be matched"),
    OVPN_ADDRESS_FROM_POOL("client {cn} ({id}) has no address on {dev}: taken to get {ip} from the pool, in connection order"),
    OVPN_STATIC_IPV4_NO_IPV6("client {cn}: ifconfig-push gives it a static IPv4 address, so it gets no address from ifconfig-ipv6-pool"
            + " (OpenVPN: \"automatic IPv6 assignment from --ifconfig-ipv6-pool does not work. Use --ifconfig-ipv6-push for IPv6 then\"): it"
            + " has no IPv6 address"),
    OVPN_IPV6_FROM_POOL("client {cn} ({id}) has no IPv6 address on {dev}: taken to get {ip} from ifconfig-ipv6-pool, in connection order"),
    OVPN_CLIENT_NOT_IN_STATUS("client host {host} points its remote at this server but the status file does not list it (not connected"
            + " when it was written?): paired with common name {cn}"),
    OVPN_CCD_NOT_IN_STATUS("CCD file for common name {cn}, but the status file does not list such a client: its iroutes are not used"),
    OVPN_CCD_NO_CLIENT_HOST("CCD file for common name {cn}, but no client host of that name points at this server: its iroutes are not used"),
    OVPN_SAME_VIRTUAL("clients {a} and {b} have the same virtual address {ip}: the server routes it to only one of them"),
    OVPN_NET30("net30: {host} {dev} is {ip} with peer {peer}, a point-to-point link of its own (a /30 of the server's pool), not an"
            + " address in a shared subnet: everything in the tunnel goes to {peer}, and the server's own {srv} is reached by the route"
            + " OpenVPN pushes for it"),
    OVPN_ROUTE_EXISTS("{host}: OpenVPN {dev} would add \"{route}\" ({where}), which the kernel refuses while this route exists (File"
            + " exists): this one is used"),

    // ---- what OpenVPN's route options do on the client
    OVPN_ROUTE_GATEWAY_UNKNOWN("route {net}: its gateway is unknown on {host}, not added"),
    OVPN_REDIRECT_IPV6_NO_ADDRESS("redirect-gateway ipv6: {host} {dev} has no IPv6 address (no ifconfig-ipv6 pushed), so OpenVPN adds no"
            + " IPv6 redirect routes"),
    OVPN_ROUTE_IPV6_NO_ADDRESS("{host} {dev} has no IPv6 address: OpenVPN installs no route-ipv6 routes without ifconfig-ipv6"),
    OVPN_ROUTE_IPV6_NO_NET_GATEWAY("route-ipv6 {net} net_gateway: {host} has no IPv6 default route, not added"),
    OVPN_ROUTE6_NO_GATEWAY("ROUTE6 WARNING: OpenVPN needs a gateway parameter for a --route-ipv6 option and no default was set via"
            + " --ifconfig-ipv6 or --route-ipv6-gateway option. Not installing IPv6 route to {net}"),
    OVPN_ROUTE6_OVERLAPS_REMOTE("ROUTE6: IPv6 route overlaps with IPv6 remote address, but could not determine IPv6 gateway address +"
            + " interface, expect failure"),
    OVPN_PULL_FILTER_REJECTS("pull-filter {filter} rejects pushed \"{option}\": the client disconnects"),
    OVPN_NO_DEFAULT_TO_REDIRECT("NOTE: unable to redirect IPv4 default gateway -- Cannot read current default gateway from system ({host}"
            + " has no default route): no redirect routes are added"),
    OVPN_REDIRECT_LOCAL_LOOPS("redirect-gateway local: no host route to the server {ip}, which is not on a connected subnet: the tunnel's"
            + " own packets will follow the new default into the tunnel (\"Recursive routing detected\")"),
    OVPN_REDIRECT_WITHOUT_DEF1("redirect-gateway without def1 deletes \"{old}\" and adds \"{added}\""),
    OVPN_ROUTE_CONFLICTS("route {dst} conflicts with \"{other}\" on {host}: RTNETLINK answers: File exists (ERROR: Linux route add command"
            + " failed), the route is not installed"),
    OVPN_ROUTE_OUTDONE("route {dst} to {dev}: the more specific \"{other}\" on {host} still wins for {net}"),
    OVPN_ROUTE_TAKES_LOCAL_NETWORK("route {dst} to {dev} takes part of {host}'s own connected network {net} ({netDev}) into the tunnel");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
