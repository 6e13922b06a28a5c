package roundtrip.netfilter;

import roundtrip.model.Message;

/** What a firewall's rules leave uncertain whatever their syntax: ipsets, and devices a rule names that the host lacks. */
public enum Sentences implements Message.Id {
    // ---- ipsets (what -m set cannot test)
    SET_NOT_IN_FILE("set {set} is not in {file}"),
    LISTED_SET_NOT_IN_FILE("set {set} (in list {list}) is not in {file}"),
    LIST_NESTS_TOO_DEEP("list:set {list} nests too deep"),
    SET_COMPARES_MAC("set {set} ({type}) compares what the simulation does not model (MAC addresses)"),
    SET_MEMBERS_NOT_KNOWN("the members of set {set} are not known"),

    // ---- why the port classes of a matrix are not exact
    PORT_COMPARISONS_NOT_LISTED("{kind} does not list its port comparisons"),

    // ---- a rule's -i/-o (iifname/oifname) that no interface of the host answers to, or only one that is down
    NO_SUCH_DEVICE("no interface \"{name}\" on {host}: the rule names a device the host does not have, so it matches nothing until"
            + " one exists"),
    NO_DEVICE_WITH_PREFIX("no interface \"{name}\" on {host}: the rule names devices no interface's name begins with, so it matches"
            + " nothing until one exists"),
    DEVICE_DOWN_IN("the rule names {devs} on {host}, which is down: no packet comes in by it now"),
    DEVICES_DOWN_IN("the rule names {devs} on {host}, which are down: no packet comes in by them now"),
    DEVICE_DOWN_OUT("the rule names {devs} on {host}, which is down: no packet leaves by it now"),
    DEVICES_DOWN_OUT("the rule names {devs} on {host}, which are down: no packet leaves by them now");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
