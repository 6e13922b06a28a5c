/**
 * iptables: {@link roundtrip.netfilter.iptables.IptablesSaveParser} reads `iptables-save` output (iptables-nft and
 * legacy, with or without -c counters, and the -N/-P/-I/-F commands iptables-restore accepts) into an
 * {@link roundtrip.netfilter.iptables.IptablesRuleset}, which evaluates like the kernel's ipt_do_table; and
 * `ip6tables-save` output the same way, as ip6tables reads it (IPv6 -s/-d, -m icmp6, -m hl, HL, REJECT with
 * icmp6-*, NAT to bracketed IPv6 addresses), into a ruleset whose tables see IPv6 packets only (ip6t_do_table).
 *
 * <p>What the model assumes, where the kernel has more to say:
 * <ul>
 *   <li>The raw table runs before conntrack, so there rules see no conntrack entry: --ctstate is INVALID,
 *       -m connmark never matches and CONNMARK does nothing (checked against a real kernel).</li>
 *   <li>--ctstatus is derived from the context: EXPECTED = RELATED, SEEN_REPLY = established or reply,
 *       CONFIRMED = anything but a connection's first packet, ASSURED = established TCP past the handshake
 *       (never a short UDP or ICMP exchange; checked against a real kernel).</li>
 *   <li>-f matches nothing (the simulation makes no non-first fragments); -m policy: --pol none holds, --pol ipsec
 *       never (no IPsec); -m pkttype is derived from the destination address.</li>
 *   <li>Rate and history matches (limit, hashlimit, connlimit, recent, quota, connbytes) answer as for the first packet
 *       of a quiet flow; where such a rule could change the verdict (its target is more than a LOG or a counter) the
 *       packet is marked uncertain with that assumption ({@link roundtrip.netfilter.iptables.Match#doubt}). Matches on
 *       what the model does not have (string, socket, a program's uid for -m owner, a physdev port the topology does
 *       not name, a set without ipset.txt, --ctexpire) and TPROXY mark the packet uncertain and are taken not to
 *       match.</li>
 *   <li>-m physdev reads br_netfilter's record: the in port for frames that came in through a bridge port (bridged or
 *       routed), the out port for bridged frames from FORWARD on; -m owner holds only for packets a local socket
 *       sends.</li>
 *   <li>addrtype --limit-iface-in/out is accepted and looked up host-wide; it is listed in problems() with a
 *       message starting "approximated:" but does not make probes uncertain.</li>
 *   <li>ip6tables: the model's IPv6 packets carry no extension headers, so -m rt/frag/hbh/dst never match (their
 *       header is not found), -m ipv6header sees the transport header only and -p names its protocol. -m rpfilter
 *       (both families) asks the host's routes; a link-local IPv6 source is taken to come back by its own link.</li>
 *   <li>Syntax not implemented (a match, an option, a target) is a Problem; the rule stays, and a packet that
 *       satisfies the rule's understood parts is marked uncertain and continues as if the rule did not match.</li>
 * </ul>
 */
package roundtrip.netfilter.iptables;
