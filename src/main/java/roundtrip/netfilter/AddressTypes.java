package roundtrip.netfilter;

/**
 * How the host's routing classifies an address, for `-m addrtype` / `fib daddr type`: LOCAL, UNICAST,
 * BROADCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, ANYCAST or UNSPEC.
 */
@FunctionalInterface
public interface AddressTypes {
    String typeOf(int addr);
}
