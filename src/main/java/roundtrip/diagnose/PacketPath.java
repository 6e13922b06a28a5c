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
        public Trace.Step drop;
        public final List<Trace.Step> steps = new ArrayList<>();

        Hop(String host) { this.host = host; }

        public boolean didDestinationNat() { return steps.stream().anyMatch(s -> s.kind() == Trace.Kind.NAT && s.text().startsWith("destination NAT (conntrack)")); }

        public boolean didSourceNat() { return steps.stream().anyMatch(s -> s.kind() == Trace.Kind.NAT && s.text().startsWith("source NAT (conntrack)")); }

        /** The rule that set up the destination NAT on this hop, quoted as written. */
        public Source dnatRule() {
            for (Trace.Step s : steps) if (s.kind() == Trace.Kind.RULE && s.text().contains("DNAT")) return s.source();
            return Source.NONE;
        }

        public Source routeSource() { return route == null ? Source.NONE : route.source(); }

        /** The route used, as `ip route` prints it (from the trace line, without the decision's prefix). */
        public String routeText() {
            if (route == null) return "";
            String t = route.text();
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

    private final List<Hop> hops;

    private PacketPath(List<Hop> hops) { this.hops = hops; }

    public List<Hop> hops() { return hops; }

    public boolean isEmpty() { return hops.isEmpty(); }

    public Hop last() { return hops.get(hops.size() - 1); }

    /** The path of the named phase ("request", "reply", "data", "data reply"); empty when the phase is absent. */
    public static PacketPath of(ProbeResult r, String phase) {
        for (ProbeResult.Phase p : r.phases()) if (p.name().equals(phase)) return of(p.steps());
        return new PacketPath(List.of());
    }

    static PacketPath of(List<Trace.Step> steps) {
        List<Hop> hops = new ArrayList<>();
        Hop cur = null;
        for (Trace.Step s : steps) {
            if (s.kind() == Trace.Kind.NOTE && s.text().startsWith("bridged by ")) continue;   // a bridge is not a hop
            boolean newHost = cur == null || !cur.host.equals(s.host());
            if (s.kind() == Trace.Kind.IN) {
                String dev = device(s.text(), " In ");
                if ("lo".equals(dev) && !newHost) continue;
                // a new visit, unless a tunnel on this host just decrypted it (then the inner device counts)
                if (newHost || cur.out != null) { cur = new Hop(s.host()); hops.add(cur); }
                cur.in = dev;
                Object[] a = addresses(s.text());
                cur.srcIn = (Ip) a[0]; cur.dstIn = (Ip) a[1]; cur.dportIn = (Integer) a[2];
            } else {
                if (newHost) { cur = new Hop(s.host()); hops.add(cur); }
                switch (s.kind()) {
                    case OUT -> {
                        String dev = device(s.text(), " Out ");
                        if (!"lo".equals(dev) && cur.out == null) {
                            cur.out = dev;
                            Object[] a = addresses(s.text());
                            cur.srcOut = (Ip) a[0]; cur.dstOut = (Ip) a[1];
                        }
                    }
                    case ROUTE -> cur.route = s;
                    case LOCAL -> cur.local = true;
                    case DROP -> cur.drop = s;
                    default -> { }
                }
            }
            cur.steps.add(s);
        }
        return new PacketPath(hops);
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
