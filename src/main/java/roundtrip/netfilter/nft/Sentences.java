package roundtrip.netfilter.nft;

import roundtrip.model.Message;

/** What of an nft ruleset was not read or is not simulated, and what a rule's evaluation had to assume. */
public enum Sentences implements Message.Id {
    // ---- input not understood or not simulated ({what} is the parser's own words)
    RULE_NOT_UNDERSTOOD("not understood ({what}); the rule is not evaluated, results that reach it are uncertain"),
    TABLE_PART_NOT_UNDERSTOOD("not understood ({what}); left out, results through this host are uncertain"),
    CHAIN_SPEC_NOT_UNDERSTOOD("chain type, hook or priority not understood ({what}); the chain is read as a regular chain, results"
            + " through this host are uncertain"),
    SET_ELEMENTS_NOT_UNDERSTOOD("elements not understood ({what}): the set is taken as empty, results that use it are uncertain"),
    ADDED_ELEMENTS_NOT_UNDERSTOOD("elements not understood ({what}): not added, results that use the set are uncertain"),
    INCLUDE_NOT_FOLLOWED("include not followed: the rules of {file} are not in the input (collect or paste them too); every verdict"
            + " through this host is uncertain"),
    FAMILY_NOT_SIMULATED_ONE("family {family} is not simulated (only ip, ip6 and inet tables are): its {n} rule was not evaluated"),
    FAMILY_NOT_SIMULATED("family {family} is not simulated (only ip, ip6 and inet tables are): its {n} rules were not evaluated"),
    HOOK_NOT_SIMULATED("hook {hook} is not simulated: this chain's rules were not evaluated"),
    STATEMENT_NOT_UNDERSTOOD("not understood: {what}"),
    COMMAND_NOT_UNDERSTOOD("\"{what}\" not understood"),
    ADD_NOT_UNDERSTOOD("add \"{what}\" not understood"),
    NOT_UNDERSTOOD_IN_TABLE("not understood in table {table}: {what}"),
    NOT_UNDERSTOOD_IN_SET("not understood in set {set}: {what}"),
    SET_WORD_IGNORED("not understood in set {set}: \"{word}\"; ignored"),
    REPLACE_NOT_APPLIED("replace rule ... handle N: the rule it replaces is not known from the text; not applied"),
    HANDLE_UNKNOWN_PUT_FIRST("handle {handle} is not known from the text: the rule is put first in chain {chain}"),
    HANDLE_UNKNOWN_PUT_LAST("handle {handle} is not known from the text: the rule is put last in chain {chain}"),
    INDEX_UNKNOWN_PUT_FIRST("index {handle} is not known from the text: the rule is put first in chain {chain}"),
    INDEX_UNKNOWN_PUT_LAST("index {handle} is not known from the text: the rule is put last in chain {chain}"),
    DELETE_HANDLE_UNKNOWN("delete rule: handle {handle} is not known from the text; not applied"),
    DELETE_NOT_APPLIED("delete {what} is not applied (it does not change what the rules match)"),
    TOO_MANY_JUMPS("more than {n} nested jumps: the kernel drops the packet"),

    // ---- why the port classes of a matrix are not exact
    RULESET_NOT_FROM_NFT("an nft ruleset that was not read from nft's output"),
    PORT_SET_MISSING("set {set} of table {table} is not in the ruleset"),
    PORT_IN_CONCATENATION("a port in a concatenation compared with {value}"),
    PORT_COMPARED_WITH("a port compared with {value}"),

    // ---- what a rule reads that a simulated packet does not have ({reason} is one of the sentences after these three)
    TAKEN_AS_MATCHING("{reason}; taken as matching"),
    FIRST_MAP_ELEMENT_TAKEN("{reason}; the first element of the map is taken"),
    VALUE_SET_UNKNOWN("{reason}; the value set is not known"),
    META_TIME("meta {key}: depends on when the packet is sent"),
    NOT_KNOWN_FOR_PACKET("{what} is not known for a simulated packet"),
    CT_NOT_KNOWN("ct {key} is not known for a simulated connection"),
    LOAD_BALANCER_PICK("which value {expr} gives (a load balancer's pick) is not known"),
    SOCKET_NOT_MODELLED("the socket the packet would find (socket {key}) is not modelled"),
    OS_FINGERPRINT_UNKNOWN("the operating system a passive fingerprint would see is not known"),
    SOCKET_USER_UNKNOWN("meta {key}: the user of the program that owns the socket is not known"),
    SOCKET_GROUP_UNKNOWN("meta {key}: the group of the program that owns the socket is not known"),
    RAW_PAYLOAD("{expr} reads bytes the model's packets do not carry"),
    RAW_IPV6_HEADER("{expr} reads the IPv6 header by offset, which the model does not lay out"),
    FIB_ROUTING_UNKNOWN("the host's routing is not known to the fib lookup"),
    CT_STATUS_NOT_MODELLED("ct status {status} is not modelled; evaluated as not set"),
    SET_FILLED_BY_RULES("set @{name} is filled by rules as packets pass: evaluated with the elements the ruleset lists, not those"
            + " earlier traffic (or this probe) may have added");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
