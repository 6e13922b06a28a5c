package roundtrip.sim;

import roundtrip.kernel.FibResult;
import roundtrip.kernel.Flow;
import roundtrip.kernel.HostKernel;
import roundtrip.model.Host;
import roundtrip.model.RouteType;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.model.Segment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The link layer: which interface of which host receives a frame sent on an interface towards a next-hop
 * address. Segments are broadcast domains; a member that is a bridge port stands for its bridge; a bridge
 * named in several segments joins them. ARP is answered by a host that owns the address on any interface
 * (arp_ignore 0) or only on the receiving one (arp_ignore 1+), or by proxy_arp.
 */
final class L2<R> {
    /** One L3 attachment: host and the device that carries IP (a bridge for its ports). */
    record Node(String host, String dev) {
        @Override public String toString() { return host + ":" + dev; }

        // equals and hashCode written out (the record's own, same results): the generated ones are bootstrapped by
        // method handles on first use, milliseconds of a one-shot run (issue 13)
        @Override public boolean equals(Object o) {
            return o instanceof Node n && Objects.equals(host, n.host) && Objects.equals(dev, n.dev);
        }

        @Override public int hashCode() { return 31 * Objects.hashCode(host) + Objects.hashCode(dev); }
    }

    /**
     * Where a frame ends up: the receiving node and the bridges (with their hosts) it crossed on the way;
     * {@code assumed}: ARP answers that rest on sysctls a host's snapshot did not hold (arp_ignore, proxy_arp);
     * {@code unanswered}: the address nobody on the link answered ARP for (null unless that is the error);
     * {@code receiver}: what the caller made of {@code to} (see the constructor), null when there is no {@code to}.
     */
    record Delivery<R>(Node to, List<Node> bridgesCrossed, Message error, List<Problem> assumed, String toPort,
                       List<String[]> crossedPorts, Ip unanswered, NdBlock ndBlock, R receiver) {
        Delivery(Node to, List<Node> bridgesCrossed, Message error) {
            this(to, bridgesCrossed, error, List.of(), null, List.of(), null, null, null);
        }
    }

    /** Neighbour discovery failed because a host's netfilter dropped its solicitation or advertisement. */
    record NdBlock(Message reason, roundtrip.model.Source source, roundtrip.kernel.Fact.NdFiltered why) {}

    private final Network net;
    private final Map<String, HostKernel> kernels;
    /** resolve() depends only on the (immutable) network and its arguments: answers are kept, thread-safely */
    private final Map<Query, Delivery<R>> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    /** A resolve() question; its hash is made once from the parts' own (cached) hashes, not by a record's reflection. */
    private static final class Query {
        final String host, dev;
        final Ip nextHop, solicitFrom;
        final int hash;

        Query(String host, String dev, Ip nextHop, Ip solicitFrom) {
            this.host = host;
            this.dev = dev;
            this.nextHop = nextHop;
            this.solicitFrom = solicitFrom;
            this.hash = ((host.hashCode() * 31 + Objects.hashCode(dev)) * 31 + nextHop.hashCode()) * 31
                    + Objects.hashCode(solicitFrom);
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            return o instanceof Query q && q.hash == hash && q.host.equals(host) && Objects.equals(q.dev, dev)
                    && q.nextHop.equals(nextHop) && Objects.equals(q.solicitFrom, solicitFrom);
        }
    }
    private final Map<Node, List<Integer>> segmentsOf = new HashMap<>();
    private final List<List<Node>> members = new ArrayList<>();
    /**
     * per segment, the bridge port by which each bridge node is in it (what -m physdev names); PORT_UNKNOWN when the
     * segment names the bridge itself or several of its ports; absent for nodes that are no bridge
     */
    private final List<Map<Node, String>> portsIn = new ArrayList<>();

    /** what a delivery's receiving node is to the caller, made once per answer that is kept */
    private final java.util.function.BiFunction<String, String, R> receiverOf;

    /**
     * @param receiverOf what the receiving host and device of a delivery are to the caller (the simulator: that host's
     *                   kernel and its device, found by name once, not again by every frame that arrives there)
     */
    L2(Network net, Map<String, HostKernel> kernels, java.util.function.BiFunction<String, String, R> receiverOf) {
        this.net = net;
        this.kernels = kernels;
        this.receiverOf = receiverOf;
        for (Segment s : net.segments()) {
            List<Node> nodes = new ArrayList<>();
            Map<Node, String> ports = new HashMap<>();
            for (Segment.Attachment a : s.members()) {
                Node n = node(a.host(), a.iface());
                if (!nodes.contains(n)) nodes.add(n);
                if (!n.dev().equals(a.iface()))
                    ports.merge(n, a.iface(), (x, y) -> x.equals(y) ? x : roundtrip.netfilter.PacketContext.PORT_UNKNOWN);
                else if (isBridge(n)) ports.put(n, roundtrip.netfilter.PacketContext.PORT_UNKNOWN);
            }
            portsIn.add(ports);
            int idx = members.size();
            members.add(nodes);
            for (Node n : nodes) segmentsOf.computeIfAbsent(n, k -> new ArrayList<>()).add(idx);
        }
    }

    /** A bridge port carries its bridge's traffic. */
    Node node(String host, String dev) {
        Host h = net.host(host);
        if (h != null) {
            Interface i = h.iface(dev);
            if (i != null && i.master() != null) {
                Interface m = h.iface(i.master());
                if (m != null && m.isBridge()) return new Node(h.name(), m.name());
            }
            // the host's and device's own name objects: the maps a hop looks them up in hold these, so the lookups
            // find them by identity instead of comparing characters
            return new Node(h.name(), i != null ? i.name() : dev);
        }
        return new Node(host, dev);
    }

    boolean attached(String host, String dev) { return segmentsOf.containsKey(node(host, dev)); }

    /**
     * Finds the receiver of a frame for {@code nextHop} sent by {@code host} on {@code dev}: a breadth-first walk
     * over segments joined by bridges of other hosts.
     */
    Delivery<R> resolve(String host, String dev, Ip nextHop) { return resolve(host, dev, nextHop, null); }

    /**
     * As {@link #resolve(String, String, Ip)} for a frame carrying a packet from {@code packetSrc}: an IPv6 neighbour
     * solicitation goes out from that address when it is one of the device's (ndisc_solicit), else from the device's
     * link-local address.
     */
    Delivery<R> resolve(String host, String dev, Ip nextHop, Ip packetSrc) {
        Ip from = null;
        if (nextHop.isV6() && packetSrc != null && packetSrc.isV6()) {
            Interface i = net.host(host).iface(dev);
            if (i != null && i.hasAddress(packetSrc)) from = packetSrc;
        }
        Query q = new Query(host, dev, nextHop, from);
        // looked up first: computeIfAbsent would build a capturing lambda for every frame
        Delivery<R> d = resolved.get(q);
        Ip solicitFrom = from;
        return d != null ? d : resolved.computeIfAbsent(q, k -> resolveUncached(host, dev, nextHop, solicitFrom));
    }

    private Delivery<R> resolveUncached(String host, String dev, Ip nextHop, Ip solicitFrom) {
        Node from = node(host, dev);
        List<Integer> start = segmentsOf.get(from);
        if (start == null) {
            Interface i = net.host(host).iface(dev);
            if (i != null && i.noArp())
                return new Delivery<>(null, List.of(), Message.of(Sentences.POINT_TO_POINT_NO_SEGMENT, dev, i.kind()));
            return new Delivery<>(null, List.of(), Message.of(Sentences.NOT_ATTACHED, dev));
        }
        Host sender = net.host(host);
        Interface out = sender.iface(dev);
        boolean pointToPoint = out != null && out.noArp();

        Map<Integer, List<Node>> bridgesTo = new LinkedHashMap<>();
        Map<Integer, List<String[]>> portsTo = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        for (int s : start) { queue.add(s); seen.add(s); bridgesTo.put(s, List.of()); portsTo.put(s, List.of()); }
        List<Problem> assumed = new ArrayList<>();
        while (!queue.isEmpty()) {
            int seg = queue.poll();
            for (Node n : members.get(seg)) {
                if (n.equals(from) || n.host().equals(host)) continue;
                if (answers(n, nextHop, pointToPoint)) {
                    if (nextHop.isV6() && !pointToPoint) {
                        NdBlock blocked = neighbourDiscovery(from, n, nextHop, solicitFrom);
                        if (blocked != null)
                            return new Delivery<>(null, List.of(), blocked.reason(), List.of(), null, List.of(), null, blocked, null);
                    }
                    Problem a = assumedArp(n, nextHop, pointToPoint, true);
                    return new Delivery<>(n, bridgesTo.get(seg), null, a == null ? List.of() : List.of(a),
                            portsIn.get(seg).get(n), portsTo.get(seg), null, null, receiverOf.apply(n.host(), n.dev()));
                }
                Problem a = assumedArp(n, nextHop, pointToPoint, false);
                if (a != null && !assumed.contains(a)) assumed.add(a);
            }
            // frames cross a bridge that appears in this segment into its other segments
            for (Node n : members.get(seg)) {
                if (n.equals(from) || !isBridge(n)) continue;
                for (int other : segmentsOf.getOrDefault(n, List.of())) {
                    if (seen.add(other)) {
                        List<Node> path = new ArrayList<>(bridgesTo.get(seg));
                        path.add(n);
                        bridgesTo.put(other, path);
                        List<String[]> ports = new ArrayList<>(portsTo.get(seg));
                        ports.add(new String[] {portsIn.get(seg).get(n), portsIn.get(other).get(n)});
                        portsTo.put(other, ports);
                        queue.add(other);
                    }
                }
            }
        }
        return new Delivery<>(null, List.of(), Message.of(nextHop.isV6() ? Sentences.NO_NS_ANSWER : Sentences.NO_ARP_ANSWER, nextHop, dev),
                assumed, null, List.of(), nextHop, null, null);
    }

    /**
     * Whether {@code n}'s answer (or silence) to the ARP request rests on sysctls its snapshot did not hold: it
     * answers for an address of another of its interfaces only with arp_ignore 0, and for an address it routes
     * elsewhere only with proxy_arp. Null when it does not (or the sysctls are known).
     */
    private Problem assumedArp(Node n, Ip ip, boolean pointToPoint, boolean answered) {
        Host h = net.host(n.host());
        if (h == null || h.sysctls().collected() || pointToPoint) return null;
        Interface i = h.iface(n.dev());
        if (i == null || !i.up() || i.noArp()) return null;
        Message what = null;
        if (answered && !i.hasAddress(ip))
            what = Message.of(Sentences.ARP_IGNORE_ASSUMED, h.name(), n.dev(), ip);
        else if (!answered && !h.ownsAddress(ip) && wouldProxyArp(h, n.dev(), ip))
            what = Message.of(Sentences.PROXY_ARP_ASSUMED, h.name(), n.dev(), ip);
        return what == null ? null : Problem.notCollected(h.sysctls().missing(), what);
    }

    private boolean isBridge(Node n) {
        Host h = net.host(n.host());
        Interface i = h == null ? null : h.iface(n.dev());
        return i != null && i.isBridge();
    }

    /**
     * The solicitation from {@code from} and the advertisement back, each through the netfilter of the host that sends
     * it and the host that receives it (ndisc_send_ns / ndisc_recv_ns / ndisc_send_na / ndisc_recv_na). The
     * solicitation goes from the triggering packet's source when the device has it, else from the sender's link-local
     * address on the device (what ipv6_dev_get_saddr picks for the solicited-node multicast destination) to
     * ff02::1:ffXX:XXXX; the advertisement from the target back to it.
     */
    private NdBlock neighbourDiscovery(Node from, Node to, Ip target, Ip solicitFrom) {
        HostKernel sender = kernels.get(from.host()), receiver = kernels.get(to.host());
        Packet ns = new Packet();
        ns.proto = Packet.ICMPV6;
        ns.icmpType = Packet.ND_NEIGHBOR_SOLICIT;
        ns.ttl = 255;
        ns.src = solicitFrom != null ? solicitFrom
                : sender.fib().selectSource6(net.host(from.host()).iface(from.dev()), SOLICITED_NODE);
        if (ns.src == null) ns.src = Ip.V6_ANY;
        ns.dst = Ip.v6(0xff02000000000000L, 0x00000001ff000000L | (target.lo() & 0xffffffL));
        Packet na = new Packet();
        na.proto = Packet.ICMPV6;
        na.icmpType = Packet.ND_NEIGHBOR_ADVERT;
        na.ttl = 255;
        na.src = target;
        na.dst = ns.src.equals(Ip.V6_ANY) ? Ip.v6(0xff02000000000000L, 1) : ns.src;
        NdBlock b = blocked(sender.neighbourDiscovery(ns.copy(), from.dev(), true), from.host(), target, from.dev(), false);
        if (b == null) b = blocked(receiver.neighbourDiscovery(ns.copy(), to.dev(), false), to.host(), target, from.dev(), false);
        if (b == null) b = blocked(receiver.neighbourDiscovery(na.copy(), to.dev(), true), to.host(), target, from.dev(), true);
        if (b == null) b = blocked(sender.neighbourDiscovery(na.copy(), from.dev(), false), from.host(), target, from.dev(), true);
        return b;
    }

    /** ff02::1:ff00:0, whose scope (link) makes the source selection stay on the device. */
    private static final Ip SOLICITED_NODE = Ip.v6(0xff02000000000000L, 0x00000001ff000000L);

    /** The drop of a neighbour discovery message, worded from the chain that dropped it; null when it passed. */
    private static NdBlock blocked(roundtrip.kernel.Outcome o, String host, Ip target, String dev, boolean advert) {
        if (o == null || o.kind() != roundtrip.kernel.Outcome.Kind.DROP) return null;
        roundtrip.kernel.Fact.Filtered f = o.why() instanceof roundtrip.kernel.Fact.Filtered x ? x : null;
        String chain = f == null ? null : f.table() + " " + f.chain();
        Message reason = f == null ? Message.of(advert ? Sentences.NA_NOT_PASSED : Sentences.NS_NOT_PASSED, target, dev, host, o.reason())
                : Message.of(advert ? Sentences.NA_FILTERED : Sentences.NS_FILTERED, target, dev, host,
                        f.verdict() == roundtrip.netfilter.Verdict.Kind.REJECT ? "rejected" : "dropped",
                        f.policy() ? Message.of(roundtrip.kernel.Sentences.POLICY_OF, f.verdict().name(), chain)
                                : Message.of(roundtrip.kernel.Sentences.RULE_IN, chain));
        return new NdBlock(reason, o.source(), new roundtrip.kernel.Fact.NdFiltered(target, dev, host, advert, f));
    }

    /** Would this node answer an ARP request for {@code ip} (or, on a point-to-point link, simply receive)? */
    private boolean answers(Node n, Ip ip, boolean pointToPoint) {
        Host h = net.host(n.host());
        if (h == null) return false;
        Interface i = h.iface(n.dev());
        if (i == null || !i.up()) return false;
        if (pointToPoint || i.noArp()) return true;
        if (ip.isV6()) {
            // ndisc_recv_ns: the target must be an address of the receiving device (no weak-host answer as ARP's
            // arp_ignore 0 gives), or a proxy entry on it with proxy_ndp and forwarding on (pndisc_is_router)
            if (h.sysctls().ipv6Disabled(n.dev())) return false;
            if (i.hasAddress(ip)) return true;
            return h.sysctls().proxyNdp(n.dev()) && h.ndpProxies().stream()
                    .anyMatch(e -> e.address().equals(ip) && (e.dev() == null || e.dev().equals(n.dev())));
        }
        int arpIgnore = Math.max(h.sysctls().intValue("net.ipv4.conf.all.arp_ignore", 0),
                h.sysctls().intValue("net.ipv4.conf." + n.dev() + ".arp_ignore", 0));
        if (arpIgnore >= 1) {
            if (i.hasAddress(ip)) return true;
        } else if (h.ownsAddress(ip) && !ip.isLoopback()) {
            return true;
        }
        return proxyArp(h, n.dev(), ip);
    }

    /**
     * arp_process with proxy_arp: the host answers for an address it would forward to through another device
     * (the route for it, looked up as for a packet arriving on this device, is unicast and leaves elsewhere).
     */
    private boolean proxyArp(Host h, String dev, Ip ip) {
        if (!h.sysctls().proxyArp(dev) || !h.sysctls().forwarding(dev)) return false;
        return wouldProxyArp(h, dev, ip);
    }

    /** The route test of proxy ARP alone, whatever the sysctls say. */
    private boolean wouldProxyArp(Host h, String dev, Ip ip) {
        FibResult r = kernels.get(h.name()).fib().lookup(Flow.input(ip, null, dev, 0));
        return !r.isError() && r.type() == RouteType.UNICAST && r.route().dev() != null && !r.route().dev().equals(dev);
    }
}
