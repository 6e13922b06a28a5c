package roundtrip.diagnose;

import roundtrip.model.Route;
import roundtrip.model.Host;
import roundtrip.kernel.Fact;
import roundtrip.kernel.Trace;
import roundtrip.model.Packet;
import roundtrip.netfilter.NatAction;
import roundtrip.model.Ip;
import roundtrip.model.Source;
import roundtrip.sim.ProbeResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The hosts one packet crossed, read back from a phase's trace: per host, the device it came in on, the
 * device it left by, the routing decision and the NAT and rules that acted. The first hop of a phase is the
 * host that sent the packet (no device in).
 */
public final class PacketPath {
    /** One host's handling of the packet. Devices are null when the packet did not come in / go out there. */
    public static final class Hop {
        public final String host;
        public String in;
        public String out;
        /** the last routing decision (a re-route replaces the first) */
        public Trace.Step route;
        /** addresses as the packet came in and went out; null where it did not */
        public Ip srcIn, dstIn, srcOut, dstOut;
        /** destination port of the packet as it came in (0 without ports) */
        public int dportIn;
        public boolean local;
        /** a tunnel on this host encrypted the packet: later steps here concern the outer datagram */
        public boolean encapsulated;
        /** the host only carried a tunnel's encrypted datagram (the underlay), never the packet itself */
        public boolean underlay;
        public Trace.Step drop;
        public final List<Trace.Step> steps = new ArrayList<>();

        Hop(String host) { this.host = host; }

        public boolean didDestinationNat() { return steps.stream().anyMatch(s -> s.fact() instanceof Fact.NatChange n && !n.source() && !n.reply()); }

        public boolean didSourceNat() { return steps.stream().anyMatch(s -> s.fact() instanceof Fact.NatChange n && n.source() && !n.reply()); }

        /** The rule that set up the destination NAT on this hop, quoted as written. */
        public Source dnatRule() {
            for (Trace.Step s : steps) if (s.fact() instanceof Fact.RuleHit r && r.boundNat(NatAction.Type.DNAT)) return s.source();
            return Source.NONE;
        }

        public Source routeSource() { return route == null ? Source.NONE : route.source(); }

        /** The routing decision's facts (the FIB's answer), or null when the hop made none. */
        public Fact.Routed routed() { return route == null ? null : (Fact.Routed) route.fact(); }

        /** The route used, as `ip route` prints it, followed by "(via rule ...)" when a policy rule other than the defaults led to it. */
        public String routeText() { return routeWords().toString(); }

        /** The route used, for a sentence that quotes it as a route ({@link #routeText()} as data). */
        public roundtrip.model.Message.RouteText routeWords() {
            Fact.Routed r = routed();
            return r == null ? new roundtrip.model.Message.RouteText("", null) : r.result().routeText();
        }

        /** The host's route this hop's decision used (matched by its `ip route` text), or null. */
        public Route usedRoute(Host h) {
            Fact.Routed r = routed();
            if (h == null || r == null || r.route() == null) return null;
            for (Route x : h.routes()) if (x.text().equals(r.route().text())) return x;
            return null;
        }

        /** The route this hop's decision used (the FIB's entry), or null. */
        public Route routeUsed() {
            Fact.Routed r = routed();
            return r == null ? null : r.route();
        }

        /** The device of the route this hop's decision used, or null. */
        public String routeDevice() {
            Fact.Routed r = routed();
            return r == null || r.route() == null ? null : r.route().dev();
        }

        /** True when the route was a default route (prefix length 0) */
        public boolean viaDefaultRoute() { return routeUsed() != null && routeUsed().dst().len() == 0; }

        @Override public String toString() { return host + "[" + in + "->" + out + "]"; }
    }

    private final List<Hop> hops;
    private final boolean outerLost;

    private PacketPath(List<Hop> hops, boolean outerLost) { this.hops = hops; this.outerLost = outerLost; }

    /**
     * True when the packet this phase lost was a tunnel's outer datagram (dropped on the underlay, or looped back into
     * its own tunnel), not the packet itself nor the inner packet a tunnel daemon refused after decrypting it.
     */
    public boolean outerLost() { return outerLost; }

    public List<Hop> hops() { return hops; }

    public boolean isEmpty() { return hops.isEmpty(); }

    public Hop last() { return hops.get(hops.size() - 1); }

    /**
     * The path of the named phase ("request", "reply", "data", "data reply"); empty when the phase is absent. Every host
     * the packet crossed, the underlay's too when a tunnel carried it; a host that encrypted the packet keeps the route
     * that sent it into the tunnel.
     */
    public static PacketPath of(ProbeResult r, String phase) {
        for (ProbeResult.Phase p : r.phases()) if (p.name().equals(phase)) return of(p.steps());
        return new PacketPath(List.of(), false);
    }

    /**
     * The path of the packet itself: where a tunnel carried it, the hosts its encrypted datagram crossed are left out,
     * and the two ends keep only what they did with the packet inside (the sender's route into the tunnel device, the
     * receiver's handling after decryption, or the daemon's drop of it). A host that relays inside its daemon (OpenVPN
     * client-to-client) is a hop without devices.
     */
    public static PacketPath inner(ProbeResult r, String phase) {
        for (ProbeResult.Phase p : r.phases()) if (p.name().equals(phase)) return inner(p.steps());
        return new PacketPath(List.of(), false);
    }

    static PacketPath of(List<Trace.Step> steps) { return parse(steps, false); }

    static PacketPath inner(List<Trace.Step> steps) { return parse(steps, true); }

    private static PacketPath parse(List<Trace.Step> steps, boolean innerOnly) {
        List<Hop> hops = new ArrayList<>();
        Hop cur = null;
        int depth = 0;   // how many tunnels deep the packet on the wire is
        boolean outerLost = false;
        Trace.Step prev = null;
        for (Trace.Step s : steps) {
            Trace.Step before = prev;
            Fact f = s.fact();
            if (!(f instanceof Fact.Uncertain)) prev = s;
            if (f instanceof Fact.Bridged b && !b.stopped()) continue;   // a bridge is not a hop
            Fact.TunnelOp op = f instanceof Fact.Tunnel t ? t.op() : null;
            if (depth > 0) {
                if (op == Fact.TunnelOp.ENCRYPT) depth++;
                else if (op == Fact.TunnelOp.DECRYPT) {
                    depth--;
                    if (depth == 0 && cur != null && cur.host.equals(s.host())) cur.underlay = false;
                }
                else if (op == Fact.TunnelOp.RELAY) {
                    // the daemon that relays (OpenVPN client-to-client) handles the packet itself
                    if (cur != null && cur.host.equals(s.host())) cur.underlay = false;
                    if (innerOnly && depth == 1) {
                        cur = new Hop(s.host());
                        hops.add(cur);
                        cur.steps.add(s);
                        continue;
                    }
                } else if (f instanceof Fact.Drop d) {
                    // the receiving daemon refused what it decrypted (it drops after its socket took the datagram): the
                    // inner packet died; any other drop here (underlay, ARP, a routing loop into the tunnel) is the outer's
                    boolean daemon = depth == 1 && (d.stage() == Fact.Stage.WIREGUARD || d.stage() == Fact.Stage.OPENVPN)
                            && before != null && before.kind() == Trace.Kind.LOCAL && before.host().equals(s.host());
                    if (!daemon) outerLost = true;
                    if (daemon && cur != null && cur.host.equals(s.host())) cur.underlay = false;
                    if (innerOnly && daemon) {
                        cur = new Hop(s.host());
                        hops.add(cur);
                        cur.drop = s;
                        cur.steps.add(s);
                        continue;
                    }
                }
                if (innerOnly) {
                    // the decrypted packet comes in by the tunnel device on the far end: a hop of its own
                    if (depth == 0) cur = null;
                    continue;
                }
            } else if (op == Fact.TunnelOp.ENCRYPT) {
                depth++;
                if (cur != null && cur.host.equals(s.host())) { cur.encapsulated = true; cur.steps.add(s); continue; }
            }
            boolean newHost = cur == null || !cur.host.equals(s.host());
            if (f instanceof Fact.Seen seen && seen.in()) {
                String dev = seen.dev();
                if ("lo".equals(dev) && !newHost) continue;
                // a new visit, unless a tunnel on this host just decrypted it (then the inner device counts)
                if (newHost || cur.out != null) { cur = new Hop(s.host()); cur.underlay = depth > 0; hops.add(cur); }
                cur.in = dev;
                Packet p = seen.packet();
                cur.srcIn = p.src; cur.dstIn = p.dst; cur.dportIn = p.hasPorts() ? p.dport : 0;
            } else {
                if (newHost) { cur = new Hop(s.host()); cur.underlay = depth > 0; hops.add(cur); }
                if (f instanceof Fact.Seen seen) {
                    if (!"lo".equals(seen.dev()) && cur.out == null) {
                        cur.out = seen.dev();
                        cur.srcOut = seen.packet().src; cur.dstOut = seen.packet().dst;
                    }
                } else if (f instanceof Fact.Routed) {
                    if (!cur.encapsulated) cur.route = s;
                } else if (f instanceof Fact.Delivered) cur.local = true;
                else if (f instanceof Fact.Drop) cur.drop = s;
            }
            cur.steps.add(s);
        }
        return new PacketPath(hops, outerLost);
    }

    @Override public String toString() { return hops.toString(); }

    /** The host's own entry for {@code route} (the same route as `ip route` prints it), or null. */
    public static Route hostRoute(Host h, Route route) {
        if (route == null) return null;
        for (Route r : h.routes()) if (r.text().equals(route.text())) return r;
        return null;
    }
}
