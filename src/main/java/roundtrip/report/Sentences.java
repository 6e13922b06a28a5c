package roundtrip.report;

import roundtrip.model.Message;

/** The trace's own sentences (StepText): what each step's facts say, around packets and routes shown as written. */
enum Sentences implements Message.Id {
    // routing decisions: the route as `ip route` prints it
    LOCAL_DELIVERY("local delivery: {route}"),
    BROADCAST("broadcast: {route}"),
    FORWARD("forward: {route}"),
    OUTPUT("{route} (source {src})"),
    REROUTE("re-route after mark/destination change: {route}"),
    // conntrack and NAT
    SOURCE_NAT("source NAT (conntrack): {before} -> {after}"),
    SOURCE_NAT_REPLY("source NAT (reply, reversed): {before} -> {after}"),
    DESTINATION_NAT("destination NAT (conntrack): {before} -> {after}"),
    DESTINATION_NAT_REPLY("destination NAT (reply, reversed): {before} -> {after}"),
    INVALID("INVALID: conntrack cannot place this packet"),
    INVALID_TCP("INVALID: conntrack cannot place this packet (flags [{flags}] do not fit the connection state this host has seen)"),
    UNTRACKED("UNTRACKED (NOTRACK)"),
    TRACKED("{state}"),
    TRACKED_REPLY("{state} (reply direction)"),
    TRACKED_MARK("{state}, connmark {mark}"),
    TRACKED_REPLY_MARK("{state} (reply direction), connmark {mark}"),
    // delivery, drops and what hosts do on their own
    DELIVERED("delivered to a local socket: {packet}"),
    DROPPED("{stage}: {reason}"),
    BRIDGE_STOPPED("while bridging on {bridge} (in and out by {bridge})"),
    BRIDGED("bridged by {bridge} (bridge-nf-call-iptables = 1: iptables saw it)"),
    SENDS("sends {packet} ({cause})"),
    ENCRYPTS("{daemon} {dev}: encrypts for {detail}"),
    DECRYPTED("{daemon} {dev}: decrypted {detail}"),
    RELAYED("{daemon}: relayed inside the daemon, {detail}"),
    CONSUMED("{daemon} {dev}: {detail}"),
    NO_LISTENER("nothing listens on udp port {port}: the kernel answers {error}"),
    ANSWERS("answers with {what}");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
