package roundtrip.netfilter;

import roundtrip.model.Source;

/**
 * A device a rule names as written: iptables' `-i`/`-o` (a trailing `+` names a prefix) or nft's `iifname`/`oifname`
 * (a trailing `*` names a prefix). Both compare the name when a packet passes (ip_packet_match; nft_meta_get_eval
 * then nft_cmp), never when the rule is loaded, so a name no device has is accepted and matches nothing: see
 * {@link AbsentNames}.
 *
 * @param rule where the rule was written
 * @param name the name, without the prefix mark
 * @param prefix whether any device whose name begins with {@code name} is meant
 * @param incoming `-i`/`iifname` (true) or `-o`/`oifname` (false)
 * @param written the name as the user wrote it (`eth+`, `"wg*"`)
 */
public record DeviceName(Source rule, String name, boolean prefix, boolean incoming, String written) {
    /** Whether {@code device} is one this rule names. */
    public boolean names(String device) { return prefix ? device.startsWith(name) : device.equals(name); }
}
