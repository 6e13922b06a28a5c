/**
 * Readers from real formats into the model (design §1a, §1c). Entry points: {@link roundtrip.importer.SnapshotLoader}
 * and {@link roundtrip.importer.ProbeReader}. Every input problem is an {@link roundtrip.model.InputException}
 * naming file:line; things read but not modelled become {@link roundtrip.model.Problem}s on the host.
 *
 * <p>What real iproute2 6.1 output looks like (checked in network namespaces, see src/test/scripts):
 * <ul>
 * <li>{@code ip -j} prints everything on one line, so every object is "line 1"; {@code ip -j -p} pretty-prints,
 *     one object start per line group. Lines are those of the object's opening brace.</li>
 * <li>{@code ip -j -d route show table all} lists IPv6 routes too (fe80::/64, ::1, ff00::/8 multicast): loaded with
 *     their family (ip6-route.json, when collected, is the one taken for them).
 *     With -d, "type" and "table" are always present ("unicast", "main"); without -d, unicast has no "type", main
 *     no "table" and global scope no "scope".</li>
 * <li>Table names come from the capturing host's rt_tables ("table": "vpn"); only local/main/default/unspec are
 *     known here. Unknown names get one stand-in number per host, shared by routes and rules.</li>
 * <li>"tos" is "0x10", or a DSCP name from rt_dsfield ("AF11" = 0x28).</li>
 * <li>Multipath: no top-level gateway/dev, a "nexthops" array. Nexthop objects: "nhid" plus resolved gateway/dev.
 *     IPv4 via IPv6: "via": {"family": "inet6", "host": ...}.</li>
 * <li>"flags" holds "onlink", "linkdown" (device without carrier); linkdown routes are loaded like any other.</li>
 * <li>The capturing kernel (6.x) listed no broadcast route for the network address, only for the last address.</li>
 * <li>Rules: "src": "all" for no selector, no "srclen" for a single address, "not": null and "nop": null (present
 *     with a null value), "goto": N with no "action", "action" only for blackhole/unreachable/prohibit, "fwmask"
 *     absent when 0xffffffff, "suppress_prefixlen" (not ...length), "iif_detached": null for a missing device;
 *     uidrange prints "uid_start"/"uid_end", ipproto/dport as such.</li>
 * <li>Addresses: the point-to-point peer is "address" (only printed when it differs from "local"); "secondary": true;
 *     "label" may be "br-lan:1" (not an interface). Interfaces: "ifname" has no "@peer" part; tun devices have no
 *     "address" (MAC) and link_type "none"; lo has no linkinfo; "NO-CARRIER" flag with "UP" for a tun nobody
 *     holds open.</li>
 * <li>{@code ss -Hlntu}: "*" is a dual-stack IPv6 socket (takes IPv4); "[::]" is an IPV6_V6ONLY socket (does NOT
 *     take IPv4 — checked with a real connection); "%dev" marks SO_BINDTODEVICE; with only -t or -u there is no
 *     Netid column; vxlan's kernel socket (udp 4789) is listed.</li>
 * <li>Per-netns sysctls: net.bridge.bridge-nf-call-* show 1 in a fresh namespace when br_netfilter is loaded.
 *     sysctl(8) writes a device's dots as slashes (net.ipv6.conf.eth0/100.forwarding), and so does the collector.</li>
 * <li>{@code ip -6 -j neigh show proxy}: [{"dst": "2001:db8::5", "dev": "v0", "proxy": null}], "[]" for none;
 *     without -6 the ARP proxy entries are listed too (kernel 6.18, iproute2 6.1).</li>
 * </ul>
 */
package roundtrip.importer;
