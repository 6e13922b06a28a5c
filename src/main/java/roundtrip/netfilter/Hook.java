package roundtrip.netfilter;

/** Netfilter IPv4 hooks; iptables' built-in chains carry the same names. */
public enum Hook { PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING }
