package roundtrip.netfilter;

import java.util.List;

/**
 * A route lookup as nftables' fib expression makes one (nft_fib4_eval): policy routing for {@code dst} as if sent
 * by the host itself (input device lo), with source {@code src} (0: not given), {@code mark} and TOS. The devices
 * the route found leaves by; empty when there is no route, an error route (blackhole, unreachable, prohibit) or a
 * local one.
 */
@FunctionalInterface
public interface RouteLookup {
    List<String> devices(int dst, int src, long mark, int tos);
}
