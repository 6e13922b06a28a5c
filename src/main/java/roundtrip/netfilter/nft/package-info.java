/**
 * nftables: {@code nft -j list ruleset} read into base chains that the kernel model runs by hook and priority
 * next to the iptables tables. Families ip and inet are evaluated (inet chains see IPv4 too); rules are compiled
 * once into small match and statement objects, and each rule keeps its text rendered back into nft syntax so
 * traces read like {@code nft monitor trace}. What is not understood is reported, and a rule holding it makes
 * the result uncertain when a packet reaches it, instead of being guessed.
 */
package roundtrip.netfilter.nft;
