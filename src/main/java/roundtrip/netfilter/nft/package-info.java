/**
 * nftables: {@code nft -j list ruleset} read into base chains that the kernel model runs by hook and priority
 * next to the iptables tables. Families ip, ip6 and inet are evaluated (an ip table sees IPv4 packets, an ip6 table
 * IPv6 ones, an inet table both: there `ip` header fields never match an IPv6 packet nor `ip6` ones an IPv4 packet,
 * as nft's implicit `meta nfproto` dependency makes them; `reject`, `dnat ip to`, `dnat ip6 to` act per family);
 * IPv6 addresses are compared as the model's {@link roundtrip.model.Ip}, on its two longs; rules are compiled
 * once into small match and statement objects, and each rule keeps its text rendered back into nft syntax so
 * traces read like {@code nft monitor trace}. What is not understood is reported, and a rule holding it makes
 * the result uncertain when a packet reaches it, instead of being guessed.
 */
package roundtrip.netfilter.nft;
