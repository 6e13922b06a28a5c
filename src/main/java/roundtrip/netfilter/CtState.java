package roundtrip.netfilter;

/** Conntrack state of a packet, as `-m conntrack --ctstate` and `ct state` see it. */
public enum CtState { NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED }
