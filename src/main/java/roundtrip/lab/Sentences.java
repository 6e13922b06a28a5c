package roundtrip.lab;

import roundtrip.model.Message;

/** The sentences the lab says: what the rebuilt lab approximates, what it is doing, and why it cannot be built here. */
public enum Sentences implements Message.Id {
    /** What the lab rebuilt from a network approximates (NetworkScenario's notes). */
    SEGMENT_ONE_MEMBER("segment {segment} has one member: left out"),
    LISTENERS_UNKNOWN("{host}: its listening sockets are not known: {service} is opened, as the simulation assumes"),
    DUMMY_FOR_DAEMON_DEVICE("{host}: {dev} ({kind}, no daemon for it in the network) is on no segment: a dummy device stands in, and"
            + " what is sent there is lost"),
    DUMMY_DEVICE("{host}: {dev} is on no segment: a dummy device stands in, and what is sent there is lost"),
    LISTENS_ON_ONE_ADDRESS("{host}: {service} listens on {addr} only; the lab's service listens on every address"),
    OPENVPN_LEFT_OUT("{host}: OpenVPN {dev}: left out {list} (programs, users, files outside the lab); certificates are the lab's own"),
    OPENVPN_CCD_ADDED("{host}: OpenVPN {dev}: client-config-dir added to pin the clients' tunnel addresses"),
    OPENVPN_REMOTE_RESOLVED("{host}: OpenVPN {dev}: remote {name} is {ip} (names:), the lab has no DNS"),
    WIREGUARD_STRANGER_PEER("{host}: {dev} peer {key} belongs to no host of the network: it stays a stranger in the lab"),

    /** What `lab verify` is doing, one line at a time. */
    PROGRESS_NOTE("note: {note}"),
    PROGRESS_BUILDING("building {n} hosts in network namespaces..."),
    PROGRESS_PROBING("probing before and after fix {n} ({id})..."),

    /** A command lab verify ran in place of the fix's own, and one the lab did not run or the real host refused. */
    APPLIED_LIVE_EQUIVALENT("{line}   (live equivalent of: {command})"),
    APPLIED_LAB_KEY("{line}   (the lab's WireGuard key in place of the network's)"),
    APPLIED_LIVE_EQUIVALENT_LAB_KEY("{line}   (live equivalent of: {command})   (the lab's WireGuard key in place of the network's)"),
    NOT_RUN_NEEDS_LOOKUP("{line}: needs something looked up by hand, not run in the lab"),
    REFUSED("{line}: {error}"),

    /** Why no lab can be built on this machine. */
    NO_LAB_VARIABLE_SET("{variable} is set"),
    NEEDS_ROOT("the lab needs root (uid is {uid})"),
    NETNS_DOES_NOT_WORK("'ip netns' does not work here"),
    TOOL_NOT_INSTALLED("{tool} is not installed"),
    CANNOT_RUN_IP("cannot run ip: {message}");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
