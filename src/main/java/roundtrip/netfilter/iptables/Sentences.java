package roundtrip.netfilter.iptables;

import roundtrip.model.Message;

/** What an iptables rule's matches leave to assumption, and what of a rule was not understood ({rule} is the match as written). */
public enum Sentences implements Message.Id {
    // ---- syntax not understood: the rule is kept, its effect is uncertain
    UNKNOWN_OPTION("unknown option {option}"),
    UNKNOWN_OPTION_FOR("unknown option {option} for {owner}"),
    UNKNOWN_MATCH("unknown match -m {name}"),
    UNKNOWN_TARGET("unknown target -j {name}"),
    /** A sentence about the rule at {where} (why the port classes of a matrix are not exact). */
    AT("{where}: {what}"),
    PORT_SET_NOT_COLLECTED("-m set {name}: ipset.txt was not collected"),

    // ---- matches on traffic before the probe: taken as for the first packet of a quiet flow ({what} is one of the next four)
    DEPENDS_TAKEN_TO_HOLD("{rule}: depends on {what}; taken to hold, as for the first packet of a quiet flow"),
    DEPENDS_TAKEN_NOT_TO_HOLD("{rule}: depends on {what}; taken not to hold, as for the first packet of a quiet flow"),
    RATE_BEFORE("the rate of the traffic before this one"),
    CONNECTIONS_OPEN("the number of connections already open"),
    PACKETS_SEEN("the packets seen before this one"),
    BYTES_COUNTED("the bytes counted before this one"),
    CONNBYTES_FIRST_PACKET("{rule}: depends on the traffic the connection carried before; evaluated as for its first packet"),

    // ---- matches on what the simulation does not have: the rule is taken not to match ({why} is one of the next three)
    TAKEN_NOT_TO_MATCH("{rule}: {why}; the rule is taken not to match"),
    PAYLOAD_NOT_SIMULATED("the packet's bytes (payload and headers) are not simulated"),
    LOCAL_SOCKET_NOT_SIMULATED("whether a local socket would take this packet is not simulated"),
    TRANSPARENT_SOCKET_NOT_SIMULATED("whether a transparent socket takes the packet (else the kernel drops it) is not simulated"),
    RPFILTER_NO_ROUTES("-m rpfilter: the host's routes are not known here, so the reverse path check cannot be made; taken not to match"),
    PHYSDEV_PORT_UNKNOWN("-m physdev: the topology names the bridge, not the port the frame uses; name the bridge's ports in"
            + " topology.json"),
    OWNER_UNKNOWN("{rule}: the user and group of the program that sends the packet are not known"),
    PROTOCOL_NOT_MODELLED("{rule}: the simulation does not model {proto} headers"),
    CTEXPIRE_NOT_SIMULATED("-m conntrack --ctexpire {v}: the time left before the connection's entry expires is not simulated"),
    ADDRTYPE_WITHOUT_INTERFACE("approximated: addrtype {option} is evaluated without the interface limit (types are looked up"
            + " host-wide)"),

    // ---- -m set ({why} is SET_MEMBERS_UNKNOWN or a sentence of the sets themselves)
    MATCH_SET_UNKNOWN("-m set --match-set {name}: {why}"),
    SET_MEMBERS_UNKNOWN("the members of set {name} are not known (ipset.txt was not collected)"),
    SET_COUNTERS("-m set --match-set {name} compares the element's packet or byte counters, which depend on earlier traffic; taken"
            + " as for the first packet of a quiet flow");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
