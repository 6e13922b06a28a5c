package roundtrip.diagnose;

import roundtrip.model.Route;
import roundtrip.model.Host;
import roundtrip.kernel.Trace;
import roundtrip.model.Ip;
import roundtrip.model.Source;
import roundtrip.sim.ProbeResult;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

        public boolean didDestinationNat() { return steps.stream().anyMatch(s -> s.kind() == Trace.Kind.NAT && roundtrip.report.StepText.of(s).startsWith("destination NAT (conntrack)")); }

        public boolean didSourceNat() { return steps.stream().anyMatch(s -> s.kind() == Trace.Kind.NAT && roundtrip.report.StepText.of(s).startsWith("source NAT (conntrack)")); }

        /** The rule that set up the destination NAT on this hop, quoted as written. */
        public Source dnatRule() {
            for (Trace.Step s : steps) if (s.kind() == Trace.Kind.RULE && roundtrip.report.StepText.of(s).contains("DNAT")) return s.source();
            return Source.NONE;
        }

        public Source routeSource() { return route == null ? Source.NONE : route.source(); }

        /** The route used, as `ip route` prints it (from the trace line, without the decision's prefix). */
        public String routeText() {
            if (route == null) return "";
            String t = roundtrip.report.StepText.of(route);
            int colon = t.indexOf(": ");
            if (t.startsWith("forward: ") || t.startsWith("local delivery: ") || t.startsWith("re-route")) t = t.substring(colon + 2);
            int src = t.indexOf(" (source ");
            return src > 0 ? t.substring(0, src) : t;
        }

        /** True when the route was a default route (prefix length 0) */
        public boolean viaDefaultRoute() { return routeText().startsWith("default") || routeText().contains(" default "); }

        @Override public String toString() { return host + "[" + in + "->" + out + "]"; }
    }

    private static final Pattern ADDRS = Pattern.compile("IP (\\d+(?:\\.\\d+){3})(?:\\.\\d+)? > (\\d+(?:\\.\\d+){3})(?:\\.(\\d+))?:");

    /** "wireguard wg0: encrypts for ...", "openvpn tun0: decrypted from ...": the notes Simulator.walk writes. */
    private static final Pattern ENCRYPTS = Pattern.compile("^(?:wireguard|openvpn) \\S+: encrypts for ");
    private static final Pattern DECRYPTED = Pattern.compile("^(?:wireguard|openvpn) \\S+: decrypted ");
    private static final Pattern RELAYED = Pattern.compile("^(?:wireguard|openvpn): relayed inside the daemon");
    private static final Pattern DAEMON_DROP = Pattern.compile("^(?:wireguard|openvpn): ");

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
            if (s.kind() != Trace.Kind.UNCERTAIN) prev = s;
            if (s.kind() == Trace.Kind.NOTE && roundtrip.report.StepText.of(s).startsWith("bridged by ")) continue;   // a bridge is not a hop
            if (depth > 0) {
                boolean note = s.kind() == Trace.Kind.NOTE;
                if (note && ENCRYPTS.matcher(roundtrip.report.StepText.of(s)).find()) depth++;
                else if (note && DECRYPTED.matcher(roundtrip.report.StepText.of(s)).find()) {
                    depth--;
                    if (depth == 0 && cur != null && cur.host.equals(s.host())) cur.underlay = false;
                }
                else if (note && RELAYED.matcher(roundtrip.report.StepText.of(s)).find()) {
                    // the daemon that relays (OpenVPN client-to-client) handles the packet itself
                    if (cur != null && cur.host.equals(s.host())) cur.underlay = false;
                    if (innerOnly && depth == 1) {
                        cur = new Hop(s.host());
                        hops.add(cur);
                        cur.steps.add(s);
                        continue;
                    }
                } else if (s.kind() == Trace.Kind.DROP) {
                    // the receiving daemon refused what it decrypted (it drops after its socket took the datagram): the
                    // inner packet died; any other drop here (underlay, ARP, a routing loop into the tunnel) is the outer's
                    boolean daemon = depth == 1 && DAEMON_DROP.matcher(roundtrip.report.StepText.of(s)).find() && before != null
                            && before.kind() == Trace.Kind.LOCAL && before.host().equals(s.host());
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
            } else if (s.kind() == Trace.Kind.NOTE && ENCRYPTS.matcher(roundtrip.report.StepText.of(s)).find()) {
                depth++;
                if (cur != null && cur.host.equals(s.host())) { cur.encapsulated = true; cur.steps.add(s); continue; }
            }
            boolean newHost = cur == null || !cur.host.equals(s.host());
            if (s.kind() == Trace.Kind.IN) {
                String dev = device(roundtrip.report.StepText.of(s), " In ");
                if ("lo".equals(dev) && !newHost) continue;
                // a new visit, unless a tunnel on this host just decrypted it (then the inner device counts)
                if (newHost || cur.out != null) { cur = new Hop(s.host()); cur.underlay = depth > 0; hops.add(cur); }
                cur.in = dev;
                Object[] a = addresses(roundtrip.report.StepText.of(s));
                cur.srcIn = (Ip) a[0]; cur.dstIn = (Ip) a[1]; cur.dportIn = (Integer) a[2];
            } else {
                if (newHost) { cur = new Hop(s.host()); cur.underlay = depth > 0; hops.add(cur); }
                switch (s.kind()) {
                    case OUT -> {
                        String dev = device(roundtrip.report.StepText.of(s), " Out ");
                        if (!"lo".equals(dev) && cur.out == null) {
                            cur.out = dev;
                            Object[] a = addresses(roundtrip.report.StepText.of(s));
                            cur.srcOut = (Ip) a[0]; cur.dstOut = (Ip) a[1];
                        }
                    }
                    case ROUTE -> { if (!cur.encapsulated) cur.route = s; }
                    case LOCAL -> cur.local = true;
                    case DROP -> cur.drop = s;
                    default -> { }
                }
            }
            cur.steps.add(s);
        }
        return new PacketPath(hops, outerLost);
    }

    private static String device(String text, String marker) {
        int i = text.indexOf(marker);
        return i < 0 ? null : text.substring(0, i);
    }

    /** {source, destination, destination port}: addresses null and port 0 when the line has none. */
    private static Object[] addresses(String text) {
        Matcher m = ADDRS.matcher(text);
        if (!m.find()) return new Object[] {null, null, 0};
        return new Object[] {Ip.parseV4(m.group(1)), Ip.parseV4(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3))};
    }

    @Override public String toString() { return hops.toString(); }

    /** The host's route that a trace printed as {@code text} (the trace may add "(via rule ...)"), or null. */
    public static Route routeByText(Host h, String text) {
        if (text == null) return null;
        int via = text.indexOf(" (via rule ");
        String t = via > 0 ? text.substring(0, via) : text;
        for (Route r : h.routes()) if (r.text().equals(t)) return r;
        return null;
    }
}
