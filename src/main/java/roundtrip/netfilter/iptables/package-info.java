/**
 * iptables: {@link roundtrip.netfilter.iptables.IptablesSaveParser} reads `iptables-save` output (iptables-nft and
 * legacy, with or without -c counters, and the -N/-P/-I/-F commands iptables-restore accepts) into an
 * {@link roundtrip.netfilter.iptables.IptablesRuleset}, which evaluates like the kernel's ipt_do_table.
 *
 * <p>What the model assumes, where the kernel has more to say:
 * <ul>
 *   <li>The raw table runs before conntrack, so there rules see no conntrack entry: --ctstate is INVALID,
 *       -m connmark never matches and CONNMARK does nothing (checked against a real kernel).</li>
 *   <li>--ctstatus is derived from the context: EXPECTED = RELATED, SEEN_REPLY = established or reply,
 *       CONFIRMED = anything but a connection's first packet, ASSURED = established TCP past the handshake
 *       (never a short UDP or ICMP exchange; checked against a real kernel).</li>
 *   <li>-f matches nothing (the simulation makes no non-first fragments); -m limit always holds (a probe's few
 *       packets stay within the burst); -m policy: --pol none holds, --pol ipsec never (no IPsec); -m pkttype is
 *       derived from the destination address.</li>
 *   <li>addrtype --limit-iface-in/out is accepted and looked up host-wide; it is listed in problems() with a
 *       message starting "approximated:" but does not make probes uncertain.</li>
 *   <li>Syntax not implemented (a match, an option, a target) is a Problem; the rule stays, and a packet that
 *       satisfies the rule's understood parts is marked uncertain and continues as if the rule did not match.</li>
 * </ul>
 */
package roundtrip.netfilter.iptables;
