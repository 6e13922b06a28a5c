package roundtrip.kernel;

import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.RouteType;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.netfilter.AddressTypes;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.RouteLookup;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Linux host's IPv4 packet path (design §3), in netfilter hook order:
 * <pre>
 * receive: raw PREROUTING, conntrack, mangle PREROUTING, nat PREROUTING, routing (+ rp_filter, ip_forward)
 *   local:   mangle INPUT, filter INPUT, nat INPUT, confirm -> socket
 *   forward: TTL, mangle FORWARD, filter FORWARD, mangle POSTROUTING, nat POSTROUTING, confirm -> out
 * send:    routing + source selection, raw OUTPUT, conntrack, mangle OUTPUT, nat OUTPUT, filter OUTPUT,
 *          re-route if mark or destination changed, mangle POSTROUTING, nat POSTROUTING, confirm -> out
 * </pre>
 * Immutable and shareable; all per-simulation state lives in the {@link Conntrack} passed in.
 */
public final class HostKernel {
    private final Host host;
    private final Fib fib;
    private final Ruleset fw;
    private final Sysctls sys;
    /** whether any netfilter table has something to say here; without, conntrack lines only add noise */
    private final boolean filtering;
    /**
     * every hook's base chains by priority (iptables tables and nft base chains interleaved), per family: a packet only
     * passes the chains of tables that see its family
     */
    @SuppressWarnings("unchecked")
    private final List<BaseChain>[][] chainsByFamily = new List[Ip.Family.values().length][Hook.values().length];

    /** what rules ask of this host's routing, made once (not per packet) */
    private final AddressTypes addressTypes;
    private final RouteLookup routeLookup;
    /** net.netfilter.nf_conntrack_tcp_loose, read for every tracked packet */
    private final boolean tcpLoose;

    /**
     * What a packet arriving on a device reads of it, found with one lookup instead of one per value: its name, the device
     * (null when the host has none of that name) and its sysctls for ip_route_input and fib_validate_source.
     */
    public record Device(String name, Interface iface, boolean forwarding, int rpFilter, boolean acceptLocal,
                         boolean srcValidMark, boolean forwarding6) {}
    /** the host's devices, resolved when the kernel is made (the host and its sysctls never change after) */
    private final Map<String, Device> devices;

    /**
     * A device of this host as a packet arriving on it sees it, for {@link #receive};
     * for a name the host does not have (iface null) it is made on the spot and not kept.
     */
    public Device device(String dev) {
        Device d = devices.get(dev);
        return d != null ? d : resolveDevice(dev);
    }

    private Device resolveDevice(String dev) {
        return new Device(dev, host.iface(dev), sys.forwarding(dev), sys.rpFilter(dev), sys.acceptLocal(dev), sys.srcValidMark(dev),
                sys.forwarding6(dev));
    }

    public HostKernel(Host host) {
        this.host = host;
        this.fib = new Fib(host);
        this.addressTypes = fib::addressType;
        this.routeLookup = this::fibDevices;
        this.tcpLoose = host.sysctls().tcpLoose();
        this.fw = host.firewall();
        this.sys = host.sysctls();
        Map<String, Device> byName = new java.util.HashMap<>();
        for (String dev : host.interfaces().keySet()) byName.put(dev, resolveDevice(dev));
        // a HashMap, not Map.copyOf: its lookups compare the stored hash before the name, where the immutable map's
        // probing calls String.equals on every slot it passes, a few per cent of a round trip (issue 13)
        this.devices = byName;
        boolean any = false;
        for (Hook h : Hook.values()) {
            List<BaseChain> all = fw.chains(h);
            for (Ip.Family f : Ip.Family.values())
                chainsByFamily[f.ordinal()][h.ordinal()] = all.stream().filter(c -> c.sees(f)).toList();
            any |= !all.isEmpty();
        }
        this.filtering = any;
    }

    /** conntrack's place among a hook's base chains (NF_IP_PRI_CONNTRACK) */
    private static final int CONNTRACK = -200;
    private static final int FIRST = Integer.MIN_VALUE, LAST = Integer.MAX_VALUE;

    /** The NAT priority of a hook: destination NAT at -100 (PREROUTING, OUTPUT), source NAT at 100. */
    private static int natPriority(Hook h) {
        return switch (h) {
            case PREROUTING, OUTPUT -> -100;
            case POSTROUTING, INPUT -> 100;
            default -> LAST;
        };
    }

    public Host host() { return host; }
    public Fib fib() { return fib; }
    private String name() { return host.name(); }

    /**
     * A packet this host generated in response to another (ICMP error, TCP reset), tied to its connection; {@code oif}
     * the device it must leave by (an error to a link-local source), else null.
     */
    public record Generated(Packet packet, Connection parent, boolean parentReply, Message why, String oif) {}

    /** Per-packet working state while it crosses this host. */
    private final class Pass {
        final Conntrack table;
        final Trace trace;
        /** the caller's list, which the packets this pass generates join (ICMP errors, resets) */
        final List<Generated> generated;
        Conntrack.Lookup ct = Conntrack.untracked();
        /** the device a received packet came in on (null for one the host sends) */
        String inDev;
        /** set by NOTRACK in a chain before conntrack */
        boolean notrack;
        /** false until conntrack has looked at the packet: chains before it see no connection */
        boolean tracked;
        /** the base chain that gave the last verdict, to name it in drops */
        String lastTable = "filter", lastChain = "";

        /** br_netfilter's record: the bridge port the frame came in on and (bridged frames, from FORWARD on) goes out of */
        boolean bridgeInfo;
        String physIn, physOut;
        /** a packet this host sends: false when the kernel made it (ICMP error, reset), true when a socket did */
        boolean fromSocket = true;

        /** the thread's chain context, once a chain ran (see {@link #context}) */
        PacketContext ctx;
        /** the base chains the packet's family passes, by hook */
        final List<BaseChain>[] chainsByHook;

        Pass(Conntrack table, Trace trace, Packet p, List<Generated> generated) {
            this.table = table;
            this.generated = generated;
            this.trace = trace;
            this.chainsByHook = chainsByFamily[p.family().ordinal()];
        }

        Outcome drop(Packet p, Fact.Stage stage, Message reason, Source src) { return drop(p, stage, reason, src, null); }

        Outcome drop(Packet p, Fact.Stage stage, Message reason, Source src, Fact.Why why) {
            if (trace.enabled()) trace.add(name(), new Fact.Drop(stage, reason, why), src);
            return Outcome.drop(p, stage.word(), reason, src, why);
        }
    }

    // ------------------------------------------------------------------------------------------------ receive

    /**
     * A packet arrives on {@code in} (the L3 device: for a bridge port, the bridge; found by {@link #device}, which the
     * simulator does once per link-layer answer). {@code port} is the bridge port of the device the frame came in on
     * (null when it is no bridge, {@link PacketContext#PORT_UNKNOWN} when the port is not known). With
     * bridge-nf-call-iptables = 1 br_netfilter records it for -m physdev (br_nf_pre_routing).
     */
    public Outcome receive(Conntrack table, Device in, String port, Packet p, Trace trace, List<Generated> sideEffects) {
        String dev = in.name();
        Pass pass = new Pass(table, trace, p, sideEffects);
        pass.inDev = dev;
        if (port != null && sys.bridgeNfCall(p.family())) {
            pass.bridgeInfo = true;
            pass.physIn = port;
        }
        if (trace.enabled()) trace.add(name(), new Fact.Seen(true, dev, p.copy()));
        return receiveInner(pass, in, p);
    }

    private Outcome receiveInner(Pass pass, Device device, Packet p) {
        String dev = device.name();
        Interface in = device.iface();
        if (in != null && !in.up()) return pass.drop(p, Fact.Stage.LINK, Message.of(Sentences.DEV_DOWN, dev), Source.NONE);
        Message martian = martian(pass, p, dev);
        if (martian != null) return pass.drop(p, Fact.Stage.ROUTING, martian, Source.NONE);

        Outcome stop = hook(pass, Hook.PREROUTING, p, dev, null, null, FIRST, CONNTRACK);
        if (stop != null) return stop;
        track(pass, p, null, false);
        stop = hook(pass, Hook.PREROUTING, p, dev, null, null, CONNTRACK, LAST);
        if (stop != null) return stop;

        FibResult res = fib.lookup(Flow.input(p.dst, p.src, dev, p.mark));
        if (p.family() == Ip.Family.IPV6) return routeInput6(pass, dev, p, device, res);
        boolean forwarding = device.forwarding();
        if (res.type() == RouteType.LOCAL && !res.isError()) {
            Fib.SourceCheck check = validateSource(pass, p, dev, device);
            if (!check.ok()) return pass.drop(p, Fact.Stage.RP_FILTER, check.reason(), sysctlSource(sys.rpFilterKey(dev)),
                    new Fact.RpFilter(dev, sys.rpFilterKey(dev)));
            if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.LOCAL_DELIVERY, res, null), routeSource(res));
            return localInput(pass, dev, p);
        }
        if (res.type() == RouteType.BROADCAST && !res.isError()) {
            if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.BROADCAST, res, null), routeSource(res));
            return localInput(pass, dev, p);
        }
        if (res.isError() || !forwarding) {
            if (!forwarding) {
                // the input device's own switch decides (ip_route_input_slow: IN_DEV_FORWARD(in_dev)); it is quoted
                // when the input holds it, as it can be 0 under ip_forward = 1 (networkd's per-link IPForward=)
                String key = sys.forwardingKey(dev);
                Source s = sysctlSource(key);
                if (sys.assumed("net.ipv4.ip_forward"))
                    assumed(pass, sys.missing(), Message.of(Sentences.IP_FORWARD_ASSUMED, name()));
                return pass.drop(p, Fact.Stage.FORWARDING, Message.of(Sentences.FORWARDING_OFF, dev, key, sys.intValue(key, 0)), s,
                        new Fact.ForwardingOff(dev, key));
            }
            return routeError(pass, p, res, true);
        }
        if (res.type() != RouteType.UNICAST)
            return pass.drop(p, Fact.Stage.ROUTING, Message.of(Sentences.MARTIAN_DESTINATION_ROUTE, p.dst, res.routeText()), routeSource(res));
        Fib.SourceCheck check = validateSource(pass, p, dev, device);
        if (!check.ok()) return pass.drop(p, Fact.Stage.RP_FILTER, check.reason(), sysctlSource(sys.rpFilterKey(dev)),
                new Fact.RpFilter(dev, sys.rpFilterKey(dev)));
        if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.FORWARD, res, null), routeSource(res));
        return forward(pass, dev, p, res);
    }

    /**
     * IPv6 after the routing lookup (ip6_route_input, then ip6_input or ip6_forward). IPv6 has no rp_filter: no source
     * validation here (only the rpfilter match and nft's fib saddr check a source). Error routes answer with ICMPv6
     * whether or not the host forwards (ip6_pkt_discard, ip6_pkt_prohibit); a unicast route is only followed when
     * forwarding is on (ip6_forward), silently dropped otherwise.
     */
    private Outcome routeInput6(Pass pass, String dev, Packet p, Device device, FibResult res) {
        if (res.type() == RouteType.LOCAL && !res.isError()) {
            if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.LOCAL_DELIVERY, res, null), routeSource(res));
            return localInput(pass, dev, p);
        }
        if (res.isError()) return routeError(pass, p, res, true);
        if (res.type() != RouteType.UNICAST)
            return pass.drop(p, Fact.Stage.ROUTING, Message.of(Sentences.MARTIAN_DESTINATION_ROUTE, p.dst, res.routeText()), routeSource(res));
        if (!device.forwarding6()) {
            String key = sys.forwarding6Key(dev);
            if (sys.assumed("net.ipv6.conf.all.forwarding"))
                assumed(pass, sys.missing(), Message.of(Sentences.IPV6_FORWARDING_ASSUMED, name()));
            return pass.drop(p, Fact.Stage.FORWARDING, Message.of(Sentences.IPV6_FORWARDING_OFF, key, sys.intValue(key, 0)),
                    sysctlSource(key), new Fact.ForwardingOff(dev, key));
        }
        if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.FORWARD, res, null), routeSource(res));
        return forward(pass, dev, p, res);
    }

    /** ip_route_input_slow's early checks on addresses that may never appear on the wire. */
    private Message martian(Pass pass, Packet p, String dev) {
        if (p.family() == Ip.Family.IPV6) return martian6(p, dev);
        if (p.src.isMulticast() || p.src.isLimitedBroadcast()) return Message.of(Sentences.MARTIAN_SOURCE, p.src);
        if (p.src.isZeroNet()) return Message.of(Sentences.MARTIAN_SOURCE, p.src);
        if (p.dst.isZeroNet()) return Message.of(Sentences.MARTIAN_DESTINATION, p.dst);
        if (!"lo".equals(dev) && (p.src.isLoopback() || p.dst.isLoopback())
                && sys.intValue("net.ipv4.conf.all.route_localnet", 0) == 0) {
            if (sys.assumed("net.ipv4.conf.all.route_localnet"))
                assumed(pass, sys.missing(), Message.of(Sentences.ROUTE_LOCALNET_ASSUMED, dev));
            return Message.of(Sentences.MARTIAN_LOOPBACK, p.src.isLoopback() ? p.src : p.dst, dev);
        }
        return null;
    }

    /** ipv6_rcv's checks (ip6_rcv_core): multicast sources, the loopback address off lo, the unspecified destination. */
    private static Message martian6(Packet p, String dev) {
        if (p.src.isMulticast()) return Message.of(Sentences.MARTIAN_SOURCE_MULTICAST, p.src);
        if (p.dst.equals(Ip.V6_ANY)) return Message.of(Sentences.MARTIAN_DESTINATION, p.dst);
        if (!"lo".equals(dev) && (p.src.isLoopback() || p.dst.isLoopback()))
            return Message.of(Sentences.MARTIAN_LOOPBACK, p.src.isLoopback() ? p.src : p.dst, dev);
        return null;
    }

    private Outcome localInput(Pass pass, String dev, Packet p) {
        Outcome stop = hook(pass, Hook.INPUT, p, dev, null, null, FIRST, LAST);
        if (stop != null) return stop;
        pass.table.confirm(pass.ct.ct());
        if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Delivered(p.copy()));
        return Outcome.deliver(dev, p, pass.ct.ct());
    }

    private Outcome forward(Pass pass, String dev, Packet p, FibResult res) {
        if (p.ttl <= 1) {
            generateIcmp(pass, p, Packet.timeExceededType(p.family()), 0, null, Message.of(Sentences.SENDS_FOR_TTL));
            return pass.drop(p, Fact.Stage.TTL, Message.of(p.family() == Ip.Family.IPV6 ? Sentences.HOP_LIMIT_EXCEEDED
                    : Sentences.TTL_EXCEEDED), Source.NONE);
        }
        if (p.family() == Ip.Family.IPV6 && p.src.isLinkLocal()) {
            // ip6_forward: a link-local source never leaves its link ("beyond scope of source address")
            generateIcmp(pass, p, Packet.ICMP6_DEST_UNREACH, Packet.ICMP6_NOT_NEIGHBOUR, null,
                    Message.of(Sentences.SENDS_FOR_LINK_LOCAL_SOURCE));
            return pass.drop(p, Fact.Stage.ROUTING, Message.of(Sentences.LINK_LOCAL_SOURCE, p.src), Source.NONE);
        }
        p.ttl--;
        String out = res.route().dev();
        Ip nextHop = res.nextHop(p.dst);
        Outcome stop = hook(pass, Hook.FORWARD, p, dev, out, nextHop, FIRST, LAST);
        if (stop != null) return stop;
        return postRouting(pass, p, dev, out, nextHop);
    }

    private Outcome postRouting(Pass pass, Packet p, String in, String out, Ip nextHop) {
        Outcome stop = hook(pass, Hook.POSTROUTING, p, in, out, nextHop, FIRST, LAST);
        if (stop != null) return stop;
        pass.table.confirm(pass.ct.ct());
        Interface o = out == null ? null : device(out).iface();
        if (o != null && !o.up()) return pass.drop(p, Fact.Stage.LINK, Message.of(Sentences.DEV_DOWN, out), Source.NONE);
        if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Seen(false, out, p.copy()));
        return Outcome.transmit(out, nextHop, p);
    }

    /**
     * br_netfilter: with net.bridge.bridge-nf-call-iptables = 1, IPv4 frames the bridge {@code br} forwards
     * between its ports traverse PREROUTING, FORWARD and POSTROUTING with the bridge as in and out device.
     * Returns a TRANSMIT outcome when the frame may go on.
     */
    public Outcome bridge(Conntrack table, String br, Packet p, Trace trace) {
        return bridge(table, br, PacketContext.PORT_UNKNOWN, PacketContext.PORT_UNKNOWN, p, trace);
    }

    /**
     * As {@link #bridge(Conntrack, String, Packet, Trace)} with the ports the frame enters and leaves the bridge by
     * ({@link PacketContext#PORT_UNKNOWN} when the snapshot does not say): -m physdev sees the in port from
     * PREROUTING on and the out port from FORWARD on (br_nf_pre_routing, br_nf_forward_ip).
     */
    public Outcome bridge(Conntrack table, String br, String inPort, String outPort, Packet p, Trace trace) {
        Pass pass = new Pass(table, trace, p, new ArrayList<>());
        pass.bridgeInfo = true;
        pass.physIn = inPort;
        Outcome stop = hook(pass, Hook.PREROUTING, p, br, null, null, FIRST, CONNTRACK);
        if (stop != null) return stop;
        track(pass, p, null, false);
        stop = hook(pass, Hook.PREROUTING, p, br, null, null, CONNTRACK, LAST);
        pass.physOut = outPort;
        if (stop == null) stop = hook(pass, Hook.FORWARD, p, br, br, p.dst, FIRST, LAST);
        if (stop == null) stop = hook(pass, Hook.POSTROUTING, p, br, br, p.dst, FIRST, LAST);
        if (stop != null) {
            // the chains saw the frame with -i and -o the bridge (br_netfilter's hooks pass the bridge device)
            if (trace.enabled()) trace.add(name(), new Fact.Bridged(br, true));
            return stop;
        }
        pass.table.confirm(pass.ct.ct());
        if (trace.enabled()) trace.add(name(), new Fact.Bridged(br, false));
        return Outcome.transmit(br, p.dst, p);
    }

    // ------------------------------------------------------------------------------------------------ send

    /**
     * A packet generated on this host. {@code p.src == null} lets the kernel choose the source; with
     * {@code connect} the lookup is done twice as ip_route_connect does (once to pick the source, again with it,
     * so `ip rule from` rules apply); without, once (unconnected sockets, kernel replies).
     */
    public Outcome send(Conntrack table, Packet p, String oif, boolean connect, Trace trace) {
        return send(table, p, oif, connect, trace, null, false, new ArrayList<>());
    }

    public Outcome send(Conntrack table, Packet p, String oif, boolean connect, Trace trace, Connection parent,
                        boolean parentReply, List<Generated> sideEffects) {
        Pass pass = new Pass(table, trace, p, sideEffects);
        pass.fromSocket = parent == null;
        return sendInner(pass, p, oif, connect, parent, parentReply);
    }

    private Outcome sendInner(Pass pass, Packet p, String oif, boolean connect, Connection parent, boolean parentReply) {
        if (p.src != null && !fib.isLocalAddress(p.src) && parent == null)
            return pass.drop(p, Fact.Stage.SOCKET, Message.of(Sentences.CANNOT_SEND_FROM, p.src, name()), Source.NONE);
        FibResult res = fib.lookup(Flow.output(p.dst, p.src, oif, p.mark));
        if (!res.isError() && p.src == null) {
            p.src = fib.preferredSource(res, p.dst);
            if (p.src == null) return pass.drop(p, Fact.Stage.ROUTING, Message.of(Sentences.NO_SOURCE_ADDRESS, res.routeText()), routeSource(res));
            if (connect) res = fib.lookup(Flow.output(p.dst, p.src, oif, p.mark));
        }
        if (res.isError()) return routeError(pass, p, res, false);
        if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.OUTPUT, res, p.src), routeSource(res));
        String out = res.type() == RouteType.LOCAL ? "lo" : res.route().dev();
        Ip nextHop = res.nextHop(p.dst);

        Outcome stop = hook(pass, Hook.OUTPUT, p, null, out, nextHop, FIRST, CONNTRACK);
        if (stop != null) return stop;
        track(pass, p, parent, parentReply);

        long markBefore = p.mark;
        Ip dstBefore = p.dst;
        // route chains (mangle OUTPUT) and destination NAT; then ip_route_me_harder if they changed the packet
        stop = hook(pass, Hook.OUTPUT, p, null, out, nextHop, CONNTRACK, 0);
        if (stop != null) return stop;
        if (p.mark != markBefore || !p.dst.equals(dstBefore)) {
            // ip_route_me_harder: route again with the new mark/destination; the source address stays
            FibResult again = fib.lookup(Flow.output(p.dst, p.src, oif, p.mark));
            if (again.isError()) return routeError(pass, p, again, false);
            res = again;
            out = res.type() == RouteType.LOCAL ? "lo" : res.route().dev();
            nextHop = res.nextHop(p.dst);
            if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Routed(Fact.Decision.REROUTE, res, null), routeSource(res));
        }
        stop = hook(pass, Hook.OUTPUT, p, null, out, nextHop, 0, LAST);
        if (stop != null) return stop;
        if (res.type() == RouteType.LOCAL) return loopback(pass, p);
        return postRouting(pass, p, null, out, nextHop);
    }

    /** To one of the host's own addresses: out and back in through lo (the skb keeps its conntrack entry). */
    private Outcome loopback(Pass pass, Packet p) {
        Outcome stop = hook(pass, Hook.POSTROUTING, p, null, "lo", p.dst, FIRST, LAST);
        if (stop != null) return stop;
        if (pass.trace.enabled()) {
            pass.trace.add(name(), new Fact.Seen(false, "lo", p.copy()));
            pass.trace.add(name(), new Fact.Seen(true, "lo", p.copy()));
        }
        return localInput(pass, "lo", p);
    }

    /**
     * A neighbour discovery message (solicitation or advertisement) through this host's netfilter: a sent one through
     * OUTPUT and POSTROUTING (ndisc_send_skb), a received one through PREROUTING and INPUT (ndisc_rcv via ip6_input).
     * Conntrack leaves them untracked (nf_conntrack_icmpv6_error's noct_valid_new), so no NAT applies. Null when it
     * passes; otherwise the drop, whose {@link Outcome#why()} names the chain.
     */
    public Outcome neighbourDiscovery(Packet p, String dev, boolean sending) {
        Pass pass = new Pass(new Conntrack(), new Trace(false), p, new ArrayList<>());
        pass.tracked = true;
        pass.fromSocket = false;
        String in = sending ? null : dev, out = sending ? dev : null;
        Outcome stop = hook(pass, sending ? Hook.OUTPUT : Hook.PREROUTING, p, in, out, null, FIRST, LAST);
        return stop != null ? stop : hook(pass, sending ? Hook.POSTROUTING : Hook.INPUT, p, in, out, null, FIRST, LAST);
    }

    // ------------------------------------------------------------------------------------------------ pieces

    private Outcome routeError(Pass pass, Packet p, FibResult res, boolean forwarded) {
        Source src = routeSource(res);
        Message.RouteText what = res.routeText();
        if (!forwarded) {
            Message err = switch (res.type()) {
                case BLACKHOLE -> Message.text("EINVAL");
                case PROHIBIT -> Message.of(Sentences.EACCES);
                // ip6_rt_type_to_error: IPv6 gives ENETUNREACH for unreachable routes too
                default -> Message.of(res.noRoute() || p.family() == Ip.Family.IPV6 ? Sentences.ENETUNREACH : Sentences.EHOSTUNREACH);
            };
            return pass.drop(p, Fact.Stage.ROUTING, Message.of(Sentences.NO_USABLE_ROUTE, p.dst, what, err), src,
                    res.noRoute() ? new Fact.NoRoute(p.dst) : null);
        }
        boolean v6 = p.family() == Ip.Family.IPV6;
        switch (res.type()) {
            case BLACKHOLE -> { return pass.drop(p, Fact.Stage.ROUTING, Message.of(Sentences.BLACKHOLE_ROUTE, what), src); }
            // ip6_pkt_prohibit / ip6_pkt_discard: ICMPV6_ADM_PROHIBITED, ICMPV6_NOROUTE (for no route and unreachable)
            case PROHIBIT -> generateIcmp(pass, p, v6 ? Packet.ICMP6_DEST_UNREACH : Packet.ICMP_DEST_UNREACH,
                    v6 ? Packet.ICMP6_ADM_PROHIBITED : 13, null, Message.of(Sentences.SENDS_FOR_PROHIBIT_ROUTE));
            default -> generateIcmp(pass, p, v6 ? Packet.ICMP6_DEST_UNREACH : Packet.ICMP_DEST_UNREACH,
                    v6 ? Packet.ICMP6_NOROUTE : res.noRoute() ? 0 : 1, null, Message.of(Sentences.SENDS_FOR_UNREACHABLE));
        }
        Message reason = res.noRoute() ? Message.of(Sentences.NO_ROUTE_IN_ANY_TABLE, p.dst)
                : Message.of(Sentences.ERROR_ROUTE, res.type().word(), what);
        return pass.drop(p, Fact.Stage.ROUTING, reason, src, res.noRoute() ? new Fact.NoRoute(p.dst) : null);
    }

    /** A drop or reject by a netfilter rule; REJECT makes the host answer with an ICMP error or a TCP reset. */
    private Outcome filtered(Pass pass, Packet p, Verdict v, Hook hook, String in, boolean local) {
        String where = pass.lastTable + " " + pass.lastChain;
        if (v.kind() == Verdict.Kind.QUEUE) {
            pass.trace.uncertain(name(), new Problem(v.decidedBy(), Message.of(Sentences.HANDED_TO_USER_SPACE)));
            return pass.drop(p, Fact.Stage.NETFILTER, Message.of(Sentences.QUEUED, where), v.decidedBy(),
                    new Fact.Filtered(pass.lastTable, pass.lastChain, null, v.kind(), false));
        }
        String ruleChain = v.chain() == null || v.chain().equals(pass.lastChain) ? null : v.chain();
        String chain = ruleChain == null ? where : where + " (chain " + ruleChain + ")";
        Fact.Filtered why = new Fact.Filtered(pass.lastTable, pass.lastChain, ruleChain, v.kind(), v.decidedBy() == Source.NONE);
        Message how = v.decidedBy() == Source.NONE ? Message.of(Sentences.POLICY_OF, v.kind().name(), chain)
                : ruleChain == null ? Message.of(Sentences.RULE_IN, where) : Message.of(Sentences.RULE_IN_SUB_CHAIN, where, ruleChain);
        if (v.kind() == Verdict.Kind.REJECT) {
            if (hook != Hook.OUTPUT) reject(pass, p, v.rejectWith(), local);
            return pass.drop(p, Fact.Stage.NETFILTER, Message.of(Sentences.REJECTED,
                    v.rejectWith() == null ? roundtrip.netfilter.RejectWith.defaultFor(p.family()) : v.rejectWith(), how), v.decidedBy(), why);
        }
        return pass.drop(p, Fact.Stage.NETFILTER, Message.of(Sentences.DROPPED, how), v.decidedBy(), why);
    }

    private void reject(Pass pass, Packet p, String with, boolean local) {
        String w = with == null ? roundtrip.netfilter.RejectWith.defaultFor(p.family()) : with;
        if (w.equals("tcp-reset")) {
            if (p.proto != Packet.TCP || (p.tcpFlags & Packet.RST) != 0) return;
            Packet rst = new Packet();
            rst.proto = Packet.TCP;
            rst.src = p.dst; rst.dst = p.src; rst.sport = p.dport; rst.dport = p.sport;
            rst.tcpFlags = (p.tcpFlags & Packet.ACK) != 0 ? Packet.RST : Packet.RST | Packet.ACK;
            addGenerated(pass, rst, Message.of(Sentences.SENDS_FOR_REJECT, "tcp-reset"));
            return;
        }
        if (p.family() == Ip.Family.IPV6) {
            generateIcmp(pass, p, Packet.ICMP6_DEST_UNREACH, roundtrip.netfilter.RejectWith.icmpv6Code(w), local ? p.dst : null, Message.of(Sentences.SENDS_FOR_REJECT, w));
            return;
        }
        int code = switch (w) {
            case "icmp-net-unreachable", "net-unreach", "net-unreachable" -> 0;
            case "icmp-host-unreachable", "host-unreach", "host-unreachable" -> 1;
            case "icmp-proto-unreachable", "prot-unreach" -> 2;
            case "icmp-net-prohibited", "net-prohibited" -> 9;
            case "icmp-host-prohibited", "host-prohibited" -> 10;
            case "icmp-admin-prohibited", "admin-prohibited" -> 13;
            default -> 3;
        };
        generateIcmp(pass, p, Packet.ICMP_DEST_UNREACH, code, local ? p.dst : null, Message.of(Sentences.SENDS_FOR_REJECT, w));
    }

    /** icmp_send: never about an ICMP error; the source is the offending packet's destination if it was ours. */
    private void generateIcmp(Pass pass, Packet offending, int type, int code, Ip src, Message why) {
        if (offending.isIcmpError()) return;
        Packet e = new Packet();
        e.proto = Packet.icmpProto(offending.family());
        e.icmpType = type;
        e.icmpCode = code;
        e.src = src != null ? src : (fib.isLocalAddress(offending.dst) ? offending.dst : null);
        e.dst = offending.src;
        e.inner = offending.copy();
        e.inner.inner = null;
        addGenerated(pass, e, why);
    }

    private void addGenerated(Pass pass, Packet g, Message why) {
        // icmp6_send: an error to a link-local source leaves by the device the offending packet came in on (icmp6_iif)
        String oif = g.dst != null && g.dst.isV6() && g.dst.isLinkLocal() ? pass.inDev : null;
        pass.generated.add(new Generated(g, pass.ct.ct(), !pass.ct.reply(), why, oif));
        if (pass.trace.enabled()) pass.trace.add(name(), new Fact.Sends(g.copy(), why));
    }

    /**
     * Runs the base chains of {@code hook} whose priority lies in [from, to), by priority. Nat chains run as one group
     * at the hook's NAT priority, as nf_nat_inet_fn does: for a connection's first packet, until one binds a NAT
     * (else a null binding); then every packet of a NATed connection is rewritten, replies in reverse.
     * Returns null when the packet goes on, else the outcome that ended it.
     */
    private Outcome hook(Pass pass, Hook hook, Packet p, String in, String out, Ip nextHop, int from, int to) {
        int natAt = natPriority(hook);
        boolean natHere = natAt >= from && natAt < to && pass.tracked;
        for (BaseChain c : pass.chainsByHook[hook.ordinal()]) {
            if (c.priority() < from || c.priority() >= to || c.type() == BaseChain.Type.NAT) continue;
            if (natHere && c.priority() > natAt) {
                Outcome stop = nat(pass, hook, p, in, out, nextHop);
                if (stop != null) return stop;
                natHere = false;
            }
            if (c.passesUntouched() && !pass.trace.enabled()) continue;
            Verdict v = run(pass, c, p, in, out);
            if (!v.passes()) return filtered(pass, p, v, hook, in, hook == Hook.INPUT);
        }
        return natHere ? nat(pass, hook, p, in, out, nextHop) : null;
    }

    /** Conntrack looks at the packet (unless NOTRACK said not to); generated packets join their parent's connection. */
    private void track(Pass pass, Packet p, Connection parent, boolean parentReply) {
        if (parent != null) pass.ct = new Conntrack.Lookup(parent, parentReply, CtState.RELATED, false);
        else pass.ct = pass.notrack ? Conntrack.untracked() : pass.table.classify(p, tcpLoose);
        pass.tracked = true;
        // a TCP packet that opens no connection is NEW only with nf_conntrack_tcp_loose (tcp_in_window's pickup)
        if (filtering && pass.ct.fresh() && p.proto == Packet.TCP && sys.assumed("net.netfilter.nf_conntrack_tcp_loose")
                && TcpTracker.first(p.tcpFlags, false) == TcpTracker.State.INVALID)
            assumed(pass, sys.missing(), Message.of(Sentences.TCP_LOOSE_ASSUMED));
        if (pass.trace.enabled()) noteConntrack(pass, p);
    }

    private Outcome nat(Pass pass, Hook hook, Packet p, String in, String out, Ip nextHop) {
        Connection ct = pass.ct.ct();
        if (ct == null) return null;   // INVALID and untracked packets are never NATed
        Conntrack.Manip manip = hook == Hook.PREROUTING || hook == Hook.OUTPUT ? Conntrack.Manip.DST : Conntrack.Manip.SRC;
        if (pass.ct.state() == CtState.NEW && !Conntrack.initialized(ct, manip)) {
            for (BaseChain c : pass.chainsByHook[hook.ordinal()]) {
                if (c.type() != BaseChain.Type.NAT || c.passesUntouched() && !pass.trace.enabled()) continue;
                Verdict v = run(pass, c, p, in, out);
                if (v.kind() == Verdict.Kind.NAT && v.nat() != null) {
                    Message err = bindNat(ct, manip, v.nat(), p, in, out, nextHop);
                    if (err != null) return pass.drop(p, Fact.Stage.NAT, err, v.decidedBy());
                    break;
                }
                if (!v.passes()) return filtered(pass, p, v, hook, in, false);
            }
            if (!Conntrack.initialized(ct, manip)) Conntrack.bind(ct, manip, manip == Conntrack.Manip.SRC ? p.src : p.dst, 0);
        }
        Packet before = pass.trace.enabled() ? p.copy() : null;
        Conntrack.translate(ct, pass.ct.reply(), manip, p);
        if (before != null && !before.sameAddressing(p))
            pass.trace.add(name(), new Fact.NatChange(manip == Conntrack.Manip.SRC, pass.ct.reply(), before, p.copy()));
        return null;
    }

    /** Chooses the new address/port for a NAT rule as get_unique_tuple would for a connection without clashes. */
    private Message bindNat(Connection ct, Conntrack.Manip manip, NatAction a, Packet p, String in, String out, Ip nextHop) {
        int currentPort = manip == Conntrack.Manip.SRC ? p.sport : p.dport;
        int port = 0;
        if (a.portFrom() != 0 && p.hasPorts() && (currentPort < a.portFrom() || currentPort > a.portTo())) port = a.portFrom();
        if (a.portFrom() != 0 && p.hasPorts() && a.type() == NatAction.Type.REDIRECT) port = a.portFrom();
        if (a.portFrom() != 0 && p.hasPorts() && a.type() == NatAction.Type.DNAT && a.portFrom() == a.portTo()) port = a.portFrom();
        if (a.portFrom() != 0 && p.hasPorts() && a.portBase() >= 0) {
            // nf_nat_l4proto_unique_tuple with NF_NAT_RANGE_PROTO_OFFSET: off = (u16)(port - base), port = min + off % size
            int off = (currentPort - a.portBase()) & 0xffff;
            port = a.portFrom() + off % (a.portTo() - a.portFrom() + 1);
        }
        Ip addr;
        switch (a.type()) {
            case MASQUERADE -> {
                // nf_nat_masquerade_ipv6 asks ipv6_dev_get_saddr for the packet's destination; IPv4 inet_select_addr
                addr = p.family() == Ip.Family.IPV6 ? fib.selectSource6(host.iface(out), p.dst)
                        : fib.selectAddress(host.iface(out), nextHop.family(), nextHop, 0);
                if (addr == null) return Message.of(Sentences.MASQUERADE_NO_ADDRESS, out);
            }
            case REDIRECT -> {
                // nf_nat_redirect_ipv4: the loopback address for a local packet, else the incoming device's primary address
                if (in == null) addr = p.family() == Ip.Family.IPV4 ? Ip.V4_LOOPBACK : Ip.V6_LOOPBACK;
                else {
                    Interface i = host.iface(in);
                    if (i == null || i.primary(p.family()) == null) return Message.of(Sentences.REDIRECT_NO_ADDRESS, in);
                    addr = i.primary(p.family()).local();
                }
            }
            default -> addr = a.netmapLen() >= 0 ? netmap(manip == Conntrack.Manip.SRC ? p.src : p.dst, a)
                    : a.addrFrom() != null ? (inRange(manip == Conntrack.Manip.SRC ? p.src : p.dst, a)
                    ? (manip == Conntrack.Manip.SRC ? p.src : p.dst) : a.addrFrom())
                    : (manip == Conntrack.Manip.SRC ? p.src : p.dst);
        }
        Conntrack.bind(ct, manip, addr, port);
        return null;
    }

    /** xt_NETMAP (netmap_tg4, netmap_tg6): the network part from the rule's prefix, the host part kept from the packet. */
    private static Ip netmap(Ip old, NatAction a) {
        return old.withNetwork(a.addrFrom(), a.netmapLen());
    }

    private static boolean inRange(Ip addr, NatAction a) {
        Ip hi = a.addrTo() == null ? a.addrFrom() : a.addrTo();
        return addr.family() == a.addrFrom().family() && addr.compareTo(a.addrFrom()) >= 0 && addr.compareTo(hi) <= 0;
    }

    private Verdict run(Pass pass, BaseChain chain, Packet p, String in, String out) {
        PacketContext ctx = context(pass, chain.hook(), p, in, out, !pass.tracked);
        Verdict v = chain.evaluate(ctx);
        pass.lastTable = chain.table();
        pass.lastChain = chain.name();
        if (ctx.notrack) pass.notrack = true;
        if (pass.trace.enabled()) for (TraceStep s : ctx.trace) pass.trace.add(name(), new Fact.RuleHit(s.family(), s.table(), s.chain(), s.action(), s.nat()), s.rule());
        for (Problem pr : ctx.uncertain) pass.trace.uncertain(name(), pr);
        Connection ct = pass.ct.ct();
        if (ct != null && pass.tracked) ct.mark = ctx.ctMark;
        return v;
    }

    /** The context chains are run with, one per thread (see {@link #context}). */
    private static final ThreadLocal<PacketContext> SCRATCH = new ThreadLocal<>();

    private PacketContext context(Pass pass, Hook hook, Packet p, String in, String out, boolean beforeConntrack) {
        Connection ct = beforeConntrack ? null : pass.ct.ct();
        CtState state = beforeConntrack ? CtState.INVALID : pass.ct.state();
        boolean dnat = ct != null && ct.dstNat, snat = ct != null && ct.srcNat;
        Ip origSrc = ct == null ? null : ct.original.src(), origDst = ct == null ? null : ct.original.dst();
        long mark = ct == null ? 0 : ct.mark;
        // one context per thread, filled again for each chain: nothing keeps it past run(), and no chain's evaluation
        // runs another chain (an allocation per host a packet crossed was a tenth of a round trip's garbage); the pass
        // keeps it, so the thread's map is asked once per pass, not once per chain
        PacketContext ctx = pass.ctx;
        if (ctx == null) {
            ctx = SCRATCH.get();
            if (ctx == null) SCRATCH.set(ctx = new PacketContext(p, hook, in, out, state, false, false, false, null, null, 0,
                    addressTypes, routeLookup, false));
            pass.ctx = ctx;
        }
        ctx.reset(p, hook, in, out, state, pass.ct.reply(), dnat, snat, origSrc, origDst, mark, addressTypes, routeLookup,
                pass.trace.enabled());
        if (ct != null) {
            ctx.ctOrigSport = ct.original.sport();
            ctx.ctOrigDport = ct.original.dport();
            ctx.ctReplSrc = ct.reply.src();
            ctx.ctReplDst = ct.reply.dst();
            ctx.ctReplSport = ct.reply.sport();
            ctx.ctReplDport = ct.reply.dport();
        }
        ctx.bridgeInfo = pass.bridgeInfo;
        ctx.physIn = pass.physIn;
        ctx.physOut = pass.physOut;
        ctx.fromSocket = pass.fromSocket;
        return ctx;
    }

    /** nft's fib lookup (nft_fib4_eval): from lo, error and local routes give no device. */
    private List<String> fibDevices(Ip dst, Ip src, long mark, int tos) {
        FibResult r = fib.lookup(new Flow(dst, src, "lo", null, mark, tos & 0xfc));
        if (r.isError() || r.route() == null || r.type() == RouteType.LOCAL || r.type() == RouteType.THROW) return List.of();
        return r.route().dev() == null ? List.of() : List.of(r.route().dev());
    }

    private void noteConntrack(Pass pass, Packet p) {
        if (!filtering) return;
        Conntrack.Lookup l = pass.ct;
        pass.trace.add(name(), new Fact.Tracked(l.state(), l.reply(), l.ct() != null ? l.ct().mark : 0, p.copy()));
    }

    private Source routeSource(FibResult res) {
        if (res.route() != null && res.route().source() != null && res.route().source() != Source.NONE) return res.route().source();
        if (res.rule() != null && res.rule().source() != null && res.route() == null) return res.rule().source();
        return res.route() != null ? new Source("", 0, res.route().text()) : Source.NONE;
    }

    /**
     * fib_validate_source with the host's sysctls; when they were not collected, the check is also made with the
     * values distributions set (rp_filter strict or loose, accept_local, src_valid_mark), and a different answer
     * makes the probe uncertain: it rests on the kernel's defaults.
     */
    private Fib.SourceCheck validateSource(Pass pass, Packet p, String dev, Device device) {
        Fib.SourceCheck check = fib.validateSource(p.src, p.dst, dev, device.iface(), p.mark, device.rpFilter(), device.acceptLocal(),
                device.srcValidMark());
        if (sys.collected()) return check;
        for (int rpf = 0; rpf <= 2; rpf++)
            for (int other = 0; other <= 3; other++) {
                boolean acceptLocal = (other & 1) != 0, validMark = (other & 2) != 0;
                Fib.SourceCheck alt = fib.validateSource(p.src, p.dst, dev, device.iface(), p.mark, rpf, acceptLocal, validMark);
                if (alt.ok() == check.ok()) continue;
                assumed(pass, sys.missing(), Message.of(Sentences.RP_SYSCTLS_ASSUMED, "rp_filter = " + rpf
                        + (acceptLocal ? ", accept_local = 1" : "") + (validMark ? ", src_valid_mark = 1" : ""), name(),
                        Message.of(alt.ok() ? Sentences.WOULD_ACCEPT : Sentences.WOULD_DROP), p.src, dev));
                return check;
            }
        return check;
    }

    /** The probe's outcome rests on a sysctl the host's snapshot did not hold. */
    private void assumed(Pass pass, Source where, Message what) {
        pass.trace.uncertain(name(), Problem.notCollected(where, what));
    }

    private Source sysctlSource(String key) {
        Source s = sys.source(key);
        String value = sys.get(key);
        if (sys.assumed(key))
            return new Source(sys.missing().file(), 0, key + " = " + sys.intValue(key, 0) + " (not collected: the kernel's default)");
        if (s != Source.NONE) return s;
        // not in any file: say so instead of pointing at a file that does not hold it
        return new Source("", 0, key + " = " + (value == null ? "0 (not set: the kernel's default)" : value));
    }
}
