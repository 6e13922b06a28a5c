package roundtrip.diagnose;

import roundtrip.model.Message;

/** What a finding says: the root cause of a failed probe in the words of the host, the route or the rule that decided. */
public enum Sentences implements Message.Id {
    // ---- where the packet was lost, and what a probe's outcome rests on
    LOST_AT("{stage}: {reason}"),
    RA_IGNORED("{host} has no IPv6 default route: {dev} forwards ({forwarding} = 1) and its {key} is 1, so it ignores the router"
            + " advertisements of {router} on that link and the default route they gave expired"),
    SETTINGS_NOT_COLLECTED("{n} decision(s) rest on settings that were not collected, first: {message}"),
    NOT_UNDERSTOOD("{n} piece(s) of configuration not understood, first: {message}"),

    // ---- the answer leaves the request's path
    RULE_CAPTURES_ANSWER("the request came in on {in} from {from}; rule `{rule}` sends the answer to {ip} to table {table} ahead of the"
            + " main table, so it leaves by {out} ({route}), while the main table's `{main}` would take it back out of {in}"),
    RULE_CAPTURES_OWN_PACKET("rule `{rule}` sends {host}'s own packet from {src} to {dst} to table {table} ({route}, out of {out}) ahead"
            + " of the main table, whose `{main}` delivers it on {dev}"),
    RULE_CAPTURES_FORWARDED_PACKET("rule `{rule}` sends the packet {host} forwards from {src} to {dst} to table {table} ({route}, out of"
            + " {out}) ahead of the main table, whose `{main}` delivers it on {dev}"),
    ANSWERS_FROM_MAIN_TABLE("{host} answers from the main table ({route}) although table {table} routes {ip} back out of {dev}; its own"
            + " answers never get the connection mark"),
    ANSWER_LEAVES_ELSEWHERE("the request came in on {in} from {from}, the answer leaves by {out} ({route})"),
    DNAT_ANSWER_LEAVES_ELSEWHERE("the request was destination-NATed {where} and came in on {in} from {from}; the answer to {ip} leaves"
            + " by {out} ({route})"),
    DNAT_ANSWER_BYPASSES_NAT("the request was destination-NATed {where} and came in on {in} from {from}; the answer to {ip} leaves by"
            + " {out} ({route}) and never passes {nat} again"),
    DNAT_HERE("here"),
    DNAT_ON("on {host}"),
    ANSWER_SENT_AWAY("{host} sends the answer to {ip} by {route}, away from {from} where the request came from"),
    ANSWER_AWAY_FROM_TUNNEL("{host} routes {ip} by {route}, away from {from} whose tunnel ({dev}) the request came out of"),
    ANSWER_AWAY_FROM_LINK("{host} routes {ip} by {route}, away from {from} (reachable on its {dev}) where the request came from"),
    NO_ROUTE_BACK_TO_LINK("{host} has no route to {ip}, away from {from} (reachable on its {dev}) where the request came from"),
    FORWARDS_DEFAULT_WITHOUT_SNAT("{host} forwards {ip} out of {out} by its default route ({route}) without source NAT; {next} has no"
            + " way back to {ip}"),
    FORWARDS_WITHOUT_SNAT("{host} forwards {ip} out of {out} by its route ({route}) without source NAT; {next} has no way back to {ip}"),
    WRONG_SOURCE_CHOSEN("{host} sends from {ip} (the address of {dev}, chosen by {route}); from {other} the same probe comes back"),

    // ---- neighbours that do not answer
    GATEWAY_NOT_ON_LINK("{host} sends {ip} via {gw} on {dev} ({route}), but no host on that link has {gw}"),
    ROUTE_SWALLOWS_DESTINATION("{host}'s route {route} covers {ip} and looks for it on {dev}, where no host has it; its gateway {gw}"
            + " on {gwdev} is never asked"),
    NEIGHBOUR_SILENT("{host} looks for {ip} on {dev} ({route}), but no host on that link answers for it"),
    NEIGHBOUR_SILENT_GATEWAY_NEAR("{host} looks for {ip} on {dev} ({route}), but no host on that link answers for it; its gateway {gw}"
            + " is on the same link"),
    NDP_PROXY_MISSING("{asker} looks for {ip} on {dev} ({route}), but it lives behind {host} ({via}), which does not answer neighbour"
            + " solicitations for it on {dev2}"),
    SOLICITATION_FILTERED("{host}'s {chain} drops the neighbour solicitation for {ip} (on {other}'s {dev}), so {other} never learns"
            + " where to send it"),
    ADVERTISEMENT_FILTERED("{host}'s {chain} drops the neighbour advertisement for {ip} (on {other}'s {dev}), so {other} never learns"
            + " where to send it"),

    // ---- source NAT
    SNAT_TO_FOREIGN("{host} rewrites the source of {ip} to {other} on its way out of {dev}, an address {host} does not own"),
    SNAT_TO_FOREIGN_OWN("{host} rewrites the source of {ip} to {other} on its way out of {dev}, an address {host} does not own ({dev}"
            + " has {own})"),
    NAT_RULE_NAMES_OTHER_OUT("the {target} rule of {host} says -o {dev}, but this packet (from {ip}) leaves by {out} ({route}): it is"
            + " forwarded without source NAT"),

    // ---- a WireGuard peer's AllowedIPs one prefix short
    ALLOWED_IPS_SHORT("peer {key} of {host} {dev} is {site}, {held}, but its AllowedIPs ({list}) {lack}: {host} {way}"),
    SITE_NETWORK_HOLDS("whose network {net} holds {ip}"),
    SITE_ROUTES_ON("which routes {net} (holding {ip}) on"),
    SITE_REACHES_BY_DEFAULT("which reaches {ip} by its default route and forwards"),
    ALLOWED_IPS_LACK_IT("lack it"),
    ALLOWED_IPS_ONLY_THOSE("send only those networks through the tunnel"),
    SENDS_IT_OUT("sends it out of {out} ({route})"),
    NO_WAY_INTO_TUNNEL("has no way into the tunnel for it"),

    // ---- hosts the user cannot change
    NOT_YOURS("{head}: {u} is not yours to change (managed: false); {tail}"),
    CANNOT_ROUTE_IT("{u} cannot route it ({reason})"),
    DOES_NOT_FORWARD_IT("{u} does not forward it ({reason})"),
    DROPS_IT("{u} drops it ({stage}: {reason})"),
    CAUSE_LIES_THERE("{u} is where the cause lies ({cause})"),
    SEND_ANSWER_BACK("the request came in on {in} from {from}, the answer leaves by {out} ({route}): send it back out of {back}"),
    HANDS_TO_UNMANAGED("{h} hands {ip} to it by {route}, although {others} on its own link routes it"),
    MASQUERADE_FOR_UNMANAGED_ACCEPT("make the packets come from an address {u} knows: {h} forwards {ip} out of {out} ({route}) without"
            + " source NAT, which {u} does not accept: MASQUERADE on {h}'s {out}"),
    MASQUERADE_FOR_UNMANAGED_ROUTE_BACK("make the packets come from an address {u} knows: {h} forwards {ip} out of {out} ({route})"
            + " without source NAT, which {u} does not route back: MASQUERADE on {h}'s {out}"),
    LAST_HOST_YOURS("{h} is the last host on the way there that is yours"),
    HANDS_TO_ROUTELESS("{h} hands {ip} to {next} by {route}, which has no route for it, although {others} on its own link routes it"),
    HANDS_TO_DIES_FURTHER("{h} hands {ip} to {next} by {route}, and it dies on {dying} for lack of a route, although {others} on its"
            + " own link routes it"),

    // ---- firewall rules
    ACCEPT_MEANT_FOR("the ACCEPT rule of {host} says {flag} {written}, but this packet {what}: it is not accepted ({stage}: {reason})"),
    PACKET_COMES_FROM("comes from {ip}"),
    PACKET_GOES_TO("goes to {ip}"),
    PACKET_IS("is {proto}"),
    PACKET_COMES_IN_BY("comes in by {dev}"),
    PACKET_LEAVES_BY("leaves by {dev}"),
    ACCEPT_BEHIND_DROP("the accept `{accept}` ({where}) comes after `{drop}` ({at}) in {chain}: the packet is stopped before it gets there"),
    INVALID_OFF_PATH("{host} never saw the request (the answer left its path on {split}), so conntrack marks the answer INVALID and"
            + " `{rule}` drops it"),

    // ---- tunnels
    WG_SOURCE_NOT_ALLOWED("{host} {dev} drops packets from {ip}: peer {key} has AllowedIPs {allowed}, which do not hold it"),
    WG_SOURCE_NOT_ALLOWED_FORWARDED("{host} {dev} drops packets from {ip}: peer {key} has AllowedIPs {allowed}, which do not hold it"
            + " ({sender} forwards {net} into its {tunnel} unchanged)"),
    WG_NO_PEER_ROUTED("{host} routes {ip} into {dev} ({route}), but no peer of {dev} has it in its AllowedIPs"),
    WG_NO_PEER("{host} routes {ip} into {dev}, but no peer of {dev} has it in its AllowedIPs"),
    OVPN_IROUTE_MISSING("{host} {dev}: client {cn} sends from {ip}, but no iroute of {cn} holds it (no `iroute` for {net} in {dir}/{cn})"),
    OVPN_IROUTE_IN_OTHER_FILE("{host} {dev}: client {cn} sends from {ip}, but no iroute of {cn} holds it (no `iroute` for {net} in"
            + " {dir}/{cn}); the file {other} has it, but no client connects with that common name"),
    OVPN_BEHIND_CLIENT("{host} {dev}: {ip} lies behind client {cn} ({client}), but no iroute of {cn} holds it, so the daemon has no"
            + " client to send it to"),
    TUNNEL_INTO_ITSELF_BY("{host} routes the tunnel's own packets to {ip} into the tunnel ({dev}) by {route}"),
    TUNNEL_INTO_ITSELF_DEV("{host} routes the tunnel's own packets to {ip} into the tunnel ({dev})"),
    TUNNEL_INTO_ITSELF_ROUTE("{host} routes the tunnel's own packets to {ip} into the tunnel by {route}"),
    TUNNEL_INTO_ITSELF("{host} routes the tunnel's own packets to {ip} into the tunnel"),
    ALLOWED_IPS_NOT_ROUTED("{host} sends {ip} out of {out} by {route}, although {dev}'s peer {key} has {net} in its AllowedIPs: no route"
            + " leads into {dev}");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
