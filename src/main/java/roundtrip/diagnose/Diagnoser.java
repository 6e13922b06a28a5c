package roundtrip.diagnose;

import roundtrip.kernel.Fib;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Flow;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip4;
import roundtrip.model.Network;
import roundtrip.model.Prefix;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.sim.LostAt;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the root cause of a failed probe by mechanism: where the lost half died and, for a lost answer, where
 * its path left the path the request took (an answer should retrace the request). Never by names or addresses
 * of a particular network.
 */
public final class Diagnoser {
    private final Network net;
    private final Simulator sim;

    public Diagnoser(Network net, Simulator sim) {
        this.net = net;
        this.sim = sim;
    }

    /** Did the probe get what it wanted: an answer, and for TCP the first data exchange too. */
    public static boolean passes(ProbeResult r) {
        return r.verdict() == ProbeResult.Verdict.ROUND_TRIP_OK && (r.data() == null || r.data().delivered());
    }

    /** The causes, most likely first; empty when the probe passes and nothing was uncertain. */
    public List<Finding> diagnose(ProbeResult r) {
        List<Finding> out = new ArrayList<>();
        if (!passes(r)) {
            PacketPath req = PacketPath.of(r, "request");
            switch (r.verdict()) {
                case REQUEST_LOST -> add(out, fromLoss(r.request().lostAt(), req));
                case REPLY_LOST -> {
                    PacketPath rep = PacketPath.of(r, "reply");
                    if (rep.isEmpty()) add(out, fromLoss(r.reply().lostAt(), req));
                    else {
                        add(out, wrongSource(r, req));
                        LostAt lost = r.reply().lostAt();
                        Finding f = answerPath(lost, req, rep);
                        // an answer that reached the prober's host and died there (rp_filter, INPUT) died of that
                        boolean diedAtProber = lost != null && lost.host().equals(r.probe().from()) && !"socket".equals(lost.stage());
                        if (diedAtProber) add(out, fromLoss(lost, rep));
                        add(out, f != null ? f : fromLoss(lost, rep));
                    }
                }
                case ROUND_TRIP_OK -> {
                    PacketPath data = PacketPath.of(r, "data");
                    PacketPath dataReply = PacketPath.of(r, "data reply");
                    LostAt lost = r.data().lostAt();
                    Finding f = dataReply.isEmpty() ? null : answerPath(lost, data, dataReply);
                    add(out, f != null ? f : fromLoss(lost, dataReply.isEmpty() ? data : dataReply));
                }
            }
        }
        if (!r.certain()) {
            Problem first = r.uncertain().get(0);
            out.add(new Finding(Cause.UNCERTAIN_SYNTAX, hostOf(r, first), r.uncertain().size() + " piece(s) of configuration not understood, first: "
                    + first.message(), first.source(), Finding.Facts.none()));
        }
        return out;
    }

    private static void add(List<Finding> out, Finding f) {
        if (f != null && out.stream().noneMatch(o -> o.cause() == f.cause() && o.host().equals(f.host()))) out.add(f);
    }

    private static String hostOf(ProbeResult r, Problem p) {
        for (ProbeResult.Phase ph : r.phases())
            for (var s : ph.steps()) if (s.source().equals(p.source())) return s.host();
        return r.probe().from();
    }

    // ---------------------------------------------------------------- the answer's path against the request's

    /**
     * The answer should visit the request's hosts in reverse order. Finds the first host where it does not: either
     * it hands the answer to a host the request never crossed, or it loses it. Null when the answer retraced the
     * whole path (the cause is then where it was lost).
     */
    private Finding answerPath(LostAt lost, PacketPath request, PacketPath answer) {
        List<PacketPath.Hop> req = upToDelivery(request.hops());
        List<PacketPath.Hop> ans = answer.hops();
        int n = req.size() - 1;
        if (n < 0 || ans.isEmpty() || !ans.get(0).host.equals(req.get(n).host)) return null;
        int j = 1;
        while (j < ans.size() && j <= n && ans.get(j).host.equals(req.get(n - j).host)) j++;
        if (j <= n && j < ans.size()) return diverged(req, ans, n, j - 1);
        if (j <= n && lost != null && lost.host().equals(ans.get(j - 1).host)) return lostOnPath(lost, req, ans, n, j - 1);
        return null;
    }

    /** The request's hops up to the one that delivered it to a socket. */
    private static List<PacketPath.Hop> upToDelivery(List<PacketPath.Hop> hops) {
        for (int i = 0; i < hops.size(); i++) if (hops.get(i).local) return hops.subList(0, i + 1);
        return hops;
    }

    /** {@code ans[k]} handed the answer to a host the request did not come from. */
    private Finding diverged(List<PacketPath.Hop> req, List<PacketPath.Hop> ans, int n, int k) {
        PacketPath.Hop d = ans.get(k);
        PacketPath.Hop dReq = req.get(n - k);
        PacketPath.Hop expected = req.get(n - k - 1);
        boolean answerer = k == 0;
        boolean sameDev = Objects.equals(d.out, dReq.in);
        int prober = d.dstOut != 0 ? d.dstOut : d.dstIn;
        Integer backVia = addressOn(expected.host, expected.out);
        Host host = net.host(d.host);

        if (!sameDev && answerer) {
            Integer table = tableRoutingBack(host, prober, dReq.in);
            if (table != null)
                return new Finding(Cause.LOCAL_SERVICE_WRONG_TABLE, d.host, d.host + " answers from the main table (" + d.routeText()
                        + ") although table " + Route.tableName(table) + " routes " + Ip4.format(prober) + " back out of " + dReq.in
                        + "; its own answers never get the connection mark", d.routeSource(),
                        new Finding.Builder().prober(prober).inDev(dReq.in).back(backVia, dReq.in).localAddr(dReq.dstIn)
                                .outDev(d.out).table(table).build());
            return new Finding(Cause.ASYMMETRIC_REPLY, d.host, "the request came in on " + dReq.in + " from " + expected.host
                    + ", the answer leaves by " + d.out + " (" + d.routeText() + ")", d.routeSource(),
                    new Finding.Builder().prober(prober).inDev(dReq.in).back(backVia, dReq.in).localAddr(dReq.dstIn)
                            .outDev(d.out).build());
        }
        if (!answerer) {
            Finding snat = missingSnat(req, n - k);
            if (snat != null) return snat;
            if (!sameDev) {
                PacketPath.Hop dnat = firstDestinationNat(req, n - k);
                if (dnat != null)
                    return new Finding(Cause.DNAT_REPLY_VIA_DEFAULT_ROUTE, d.host, "the request was destination-NATed"
                            + (dnat.host.equals(d.host) ? " here" : " on " + dnat.host) + " and came in on " + dReq.in
                            + " from " + expected.host + "; the answer to " + Ip4.format(prober) + " leaves by " + d.out
                            + " (" + d.routeText() + ")" + (dnat.host.equals(d.host) ? "" : " and never passes " + dnat.host + " again"),
                            d.routeSource(), new Finding.Builder().prober(prober).inDev(dReq.in).back(backVia, dReq.in)
                            .outDev(d.out).forwardRoute(dReq.routeText()).nat(natHostBefore(req, n - k), natDevBefore(req, n - k)).build());
            }
        }
        return missingReturnRoute(req, ans, n, k);
    }

    /**
     * The answer follows default routes away from the request's path. The host that should know the way back is the
     * last one on that stretch that still shares a link with the request's host the answer should have reached.
     */
    private Finding missingReturnRoute(List<PacketPath.Hop> req, List<PacketPath.Hop> ans, int n, int k) {
        PacketPath.Hop expected = req.get(n - k - 1);
        PacketPath.Hop d = ans.get(k);
        int chosen = -1;
        for (int m = k; m < ans.size(); m++) {
            PacketPath.Hop h = ans.get(m);
            if (sharedLink(h.host, expected.host) != null) chosen = m;
            if (h.route == null || !h.viaDefaultRoute()) break;
        }
        int prober = d.dstOut != 0 ? d.dstOut : d.dstIn;
        Prefix proberNet = networkOf(expected.host, prober);
        Finding.Builder facts = new Finding.Builder().prober(prober).proberNet(proberNet)
                .nat(expected.host, expected.out);
        if (chosen < 0) {
            return new Finding(Cause.MISSING_RETURN_ROUTE, d.host, d.host + " sends the answer to " + Ip4.format(prober)
                    + " by " + d.routeText() + ", away from " + expected.host + " where the request came from",
                    d.routeSource(), facts.build());
        }
        PacketPath.Hop h = ans.get(chosen);
        String[] link = sharedLink(h.host, expected.host);
        facts.back(addressOn(expected.host, link[1]), link[0]);
        if (chosen != k) {
            String[] alt = sharedLink(d.host, expected.host);
            if (alt != null) facts.alt(d.host, alt[0], addressOn(expected.host, alt[1]));
        }
        String how = h.route != null ? "routes " + Ip4.format(prober) + " by " + h.routeText()
                : "has no route to " + Ip4.format(prober);
        Source evidence = h.route != null ? h.routeSource() : h.drop != null ? h.drop.source() : Source.NONE;
        return new Finding(Cause.MISSING_RETURN_ROUTE, h.host, h.host + " " + how + ", away from " + expected.host
                + " (reachable on its " + link[0] + ") where the request came from", evidence, facts.build());
    }

    /** The answer died on a host the request crossed ({@code ans[k]}, request index n-k). */
    private Finding lostOnPath(LostAt lost, List<PacketPath.Hop> req, List<PacketPath.Hop> ans, int n, int k) {
        if (k == 0 || !"routing".equals(lost.stage())) return null;
        Finding snat = missingSnat(req, n - k);
        if (snat != null) return snat;
        return missingReturnRoute(req, ans, n, k);
    }

    /**
     * The answer could not get back past request hop {@code at}: if the hop before it forwarded the request by its
     * default route (upstream) with a source address that is not its own and did no source NAT, that hop is
     * missing its SNAT. The prober itself is never such a hop.
     */
    private Finding missingSnat(List<PacketPath.Hop> req, int at) {
        if (at < 2) return null;
        PacketPath.Hop e = req.get(at - 1);
        if (e.in == null || e.out == null || !e.viaDefaultRoute() || e.didSourceNat()) return null;
        Host host = net.host(e.host);
        if (host == null || host.ownsAddress(e.srcOut)) return null;
        return new Finding(Cause.MISSING_SNAT, e.host, e.host + " forwards " + Ip4.format(e.srcOut) + " out of " + e.out
                + " by its default route (" + e.routeText() + ") without source NAT; " + req.get(at).host
                + " has no way back to " + Ip4.format(e.srcOut), e.routeSource(),
                new Finding.Builder().prober(e.srcOut).proberNet(networkOf(e.host, e.srcOut)).inDev(e.in).outDev(e.out)
                        .nat(e.host, e.out).build());
    }

    private static PacketPath.Hop firstDestinationNat(List<PacketPath.Hop> req, int upTo) {
        for (int i = 0; i <= upTo; i++) if (req.get(i).didDestinationNat()) return req.get(i);
        return null;
    }

    /** The first host before request hop {@code at} that destination-NATed the request: source NAT there brings answers back. */
    private static String natHostBefore(List<PacketPath.Hop> req, int at) {
        for (int i = 0; i < at; i++) if (req.get(i).didDestinationNat()) return req.get(i).host;
        return null;
    }

    private static String natDevBefore(List<PacketPath.Hop> req, int at) {
        for (int i = 0; i < at; i++) if (req.get(i).didDestinationNat()) return req.get(i).out;
        return null;
    }

    /** A fwmark rule's table (not main/local/default) that would route {@code dst} out of {@code dev}, if any. */
    private static Integer tableRoutingBack(Host host, int dst, String dev) {
        Fib fib = new Fib(host);
        for (Rule rule : host.rules()) {
            int t = rule.table();
            if (rule.fwmark() == null || !"table".equals(rule.action())
                    || t == Route.TABLE_MAIN || t == Route.TABLE_LOCAL || t == Route.TABLE_DEFAULT) continue;
            Route r = fib.lookupTable(rule.table(), Flow.output(dst, 0, null, 0));
            if (r != null && dev.equals(r.dev())) return rule.table();
        }
        return null;
    }

    // ---------------------------------------------------------------- source address of local traffic

    /**
     * For traffic the prober generated with a source the kernel chose: if the same probe from another address of the
     * prober comes back, the chosen source is the cause.
     */
    private Finding wrongSource(ProbeResult r, PacketPath req) {
        Probe p = r.probe();
        if (p.src() != null || req.isEmpty()) return null;
        PacketPath.Hop first = req.hops().get(0);
        Host prober = net.host(p.from());
        for (Interface i : prober.interfaces().values()) {
            if (i.isLoopback()) continue;
            for (Address a : i.addresses()) {
                if (a.secondary() || a.isHostScope() || a.local() == first.srcOut) continue;
                Probe other = new Probe(p.id(), p.from(), a.local(), p.dst(), p.proto(), p.dport(), p.target(), null);
                if (!passes(sim.run(other, false))) continue;
                return new Finding(Cause.WRONG_SOURCE_ADDRESS, p.from(), p.from() + " sends from " + Ip4.format(first.srcOut)
                        + " (the address of " + first.out + ", chosen by " + first.routeText() + "); from " + Ip4.format(a.local())
                        + " the same probe comes back", first.routeSource(),
                        new Finding.Builder().prober(first.srcOut).localAddr(a.local()).outDev(first.out)
                                .forwardRoute(first.routeText()).build());
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- where a packet was dropped

    private static final Pattern CHAIN = Pattern.compile("\\b(raw|mangle|nat|filter|security) ([A-Za-z0-9_.-]+)");

    /** The cause named by the stage that dropped the packet. */
    Finding fromLoss(LostAt lost, PacketPath path) {
        if (lost == null) return null;
        PacketPath.Hop hop = null;
        for (PacketPath.Hop h : path.hops()) if (h.host.equals(lost.host())) hop = h;
        String in = hop == null ? null : hop.in;
        String match = hop == null ? null : match(hop);
        String out = hop == null ? null : hop.out != null ? hop.out : deviceOf(hop.routeText());
        Finding.Builder facts = new Finding.Builder().inDev(in).outDev(out);
        String reason = lost.reason();
        Source src = lost.source();
        Cause cause;
        switch (lost.stage()) {
            case "forwarding" -> { cause = Cause.IP_FORWARD_OFF; facts.sysctlKey("net.ipv4.ip_forward"); }
            case "rp_filter" -> {
                cause = Cause.RP_FILTER_DROP;
                int eq = src.text().indexOf(" = ");
                facts.sysctlKey(eq > 0 ? src.text().substring(0, eq).trim() : "net.ipv4.conf.all.rp_filter");
            }
            case "netfilter" -> {
                Matcher m = CHAIN.matcher(reason);
                String chain = m.find() ? m.group(1) + " " + m.group(2) : null;
                facts.chain(chain).match(match);
                if (src.text().contains("INVALID")) cause = Cause.CONNTRACK_INVALID;
                else if (chain != null && chain.endsWith(" FORWARD") && src.text().isEmpty()) cause = Cause.FORWARD_DROP;
                else cause = Cause.FILTER_RULE_DROP;
            }
            case "routing" -> cause = Cause.NO_ROUTE;
            case "socket" -> cause = reason.contains("answer comes from") || reason.contains("addressed to")
                    ? Cause.OTHER_LOSS : Cause.NOTHING_LISTENS;
            case "wireguard", "openvpn" -> cause = Cause.TUNNEL_DROP;
            default -> cause = Cause.OTHER_LOSS;
        }
        return new Finding(cause, lost.host(), lost.stage() + ": " + reason, src, facts.build());
    }

    /** iptables matches for the packet as it was on this hop: addresses, protocol and destination port. */
    private String match(PacketPath.Hop hop) {
        int src = hop.in != null ? hop.srcIn : hop.srcOut, dst = hop.in != null ? hop.dstIn : hop.dstOut;
        if (src == 0 || dst == 0) return null;
        String proto = protoOf(hop);
        StringBuilder sb = new StringBuilder("-s ").append(Ip4.format(src)).append(" -d ").append(Ip4.format(dst));
        if (proto != null) {
            sb.append(" -p ").append(proto);
            if (hop.dportIn != 0 && !proto.equals("icmp")) sb.append(" -m ").append(proto).append(" --dport ").append(hop.dportIn);
        }
        return sb.toString();
    }

    private static String protoOf(PacketPath.Hop hop) {
        for (var s : hop.steps) {
            if (s.kind() != roundtrip.kernel.Trace.Kind.IN && s.kind() != roundtrip.kernel.Trace.Kind.OUT) continue;
            if (s.text().contains(": ICMP")) return "icmp";
            if (s.text().contains(": Flags [")) return "tcp";
            if (s.text().contains(": UDP")) return "udp";
        }
        return null;
    }

    private static String deviceOf(String routeText) {
        Matcher m = Pattern.compile(" dev (\\S+)").matcher(routeText);
        return m.find() ? m.group(1) : null;
    }

    // ---------------------------------------------------------------- topology helpers

    /** The first address of {@code host}'s {@code dev}, or null. */
    private Integer addressOn(String host, String dev) {
        Host h = net.host(host);
        Interface i = h == null || dev == null ? null : h.iface(dev);
        return i == null || i.primary() == null ? null : i.primary().local();
    }

    /** {ifaceOfA, ifaceOfB} of a segment joining hosts a and b, or null. */
    String[] sharedLink(String a, String b) {
        if (a.equals(b)) return null;
        for (Segment s : net.segments()) {
            String ia = null, ib = null;
            for (Segment.Attachment m : s.members()) {
                if (m.host().equals(a) && ia == null) ia = m.iface();
                if (m.host().equals(b) && ib == null) ib = m.iface();
            }
            if (ia != null && ib != null) return new String[] {ia, ib};
        }
        return null;
    }

    /** The network {@code host} routes {@code addr} into: the route's prefix, or the address alone for a default route. */
    private Prefix networkOf(String host, int addr) {
        Host h = net.host(host);
        if (h == null) return Prefix.host(addr);
        FibResult r = new Fib(h).lookup(Flow.output(addr, 0, null, 0));
        if (r.isError() || r.route() == null || r.route().dst().len() == 0) return Prefix.host(addr);
        return r.route().dst();
    }
}
