package roundtrip.netfilter;

import roundtrip.model.Ip;

/**
 * How the host's routing classifies an address, for `-m addrtype` / `fib daddr type`: LOCAL, UNICAST,
 * BROADCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, ANYCAST or UNSPEC.
 */
@FunctionalInterface
public interface AddressTypes {
    String typeOf(Ip addr);
}
