package roundtrip.diagnose;

import roundtrip.kernel.Fact;
import roundtrip.kernel.Fib;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Flow;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Prefix;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.NatAction;
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
        Finding assumed = passes(r) ? null : lossOnAssumedSetting(r);
        if (assumed != null) out.add(assumed);
        else if (!passes(r)) {
            PacketPath req = path(r, "request");
            if (r.verdict() == ProbeResult.Verdict.REQUEST_LOST) add(out, allowedIpsNotRouted(req, r.request().lostAt()));
            if (r.verdict() == ProbeResult.Verdict.REPLY_LOST) add(out, allowedIpsNotRouted(path(r, "reply"), r.reply().lostAt()));
            switch (r.verdict()) {
                case REQUEST_LOST -> add(out, fromLoss(r.request().lostAt(), req));
                case REPLY_LOST -> {
                    PacketPath rep = path(r, "reply");
                    if (rep.isEmpty()) add(out, fromLoss(r.reply().lostAt(), req));
                    else {
                        add(out, wrongSource(r, req));
                        LostAt lost = r.reply().lostAt();
                        Finding f = answerPath(lost, req, rep);
                        // an answer that reached the prober's host and died there (rp_filter, INPUT) died of that
                        boolean diedAtProber = lost != null && lost.host().equals(r.probe().from()) && !"socket".equals(lost.stage());
                        if (diedAtProber) add(out, fromLoss(lost, rep));
                        // the answer left the request's path and a router off that path dropped it as INVALID
                        if (f != null && lost != null && "netfilter".equals(lost.stage()) && INVALID.matcher(lost.source().text()).find()
                                && req.hops().stream().noneMatch(h -> h.host.equals(lost.host())))
                            add(out, invalidOffPath(lost, rep, f));
                        add(out, f != null ? f : fromLoss(lost, rep));
                        // a tunnel daemon that refused the answer inside the tunnel is said too: its check is what failed
                        if (f != null && lost != null && ("wireguard".equals(lost.stage()) || "openvpn".equals(lost.stage())))
                            add(out, fromLoss(lost, rep));
                    }
                }
                case ROUND_TRIP_OK -> {
                    PacketPath data = path(r, "data");
                    PacketPath dataReply = path(r, "data reply");
                    LostAt lost = r.data().lostAt();
                    Finding f = dataReply.isEmpty() ? null : answerPath(lost, data, dataReply);
                    add(out, f != null ? f : fromLoss(lost, dataReply.isEmpty() ? data : dataReply));
                }
            }
        }
        if (assumed == null && !passes(r)) {
            // a SNAT to an address the host does not own, upstream of where the packet died, is the mistake
            List<PacketPath.Hop> req = requestHops(r);
            int upTo = req.size();
            if (r.verdict() == ProbeResult.Verdict.REQUEST_LOST && r.request().lostAt() != null)
                for (int i = 0; i < req.size(); i++) if (req.get(i).host.equals(r.request().lostAt().host())) upTo = i;
            Finding snat = snatToForeign(req, upTo);
            if (snat == null) snat = nearMissSnat(req, upTo);
            if (snat != null) {
                Finding first = snat;
                out.removeIf(f -> f.cause() == first.cause());
                out.add(0, first);
            }
            if (r.verdict() == ProbeResult.Verdict.REQUEST_LOST) {
                Finding cap = requestCaptured(req, upTo);
                if (cap != null && (out.isEmpty() || out.get(0).cause() != Cause.SNAT_TO_FOREIGN_ADDRESS)) {
                    out.removeIf(f -> f.cause() == cap.cause() && f.host().equals(cap.host()));
                    out.add(0, cap);
                }
            }
            lookBackForRoute(r, out);
            Finding shortList = allowedIpsShort(r);
            if (shortList != null) {
                out.removeIf(f -> f.cause() == shortList.cause() && f.host().equals(shortList.host()));
                out.add(0, shortList);
            }
            managedFirst(r, out);
        }
        List<Problem> notCollected = new ArrayList<>(), notUnderstood = new ArrayList<>();
        for (Problem p : r.uncertain()) (notCollectedHost(p) != null ? notCollected : notUnderstood).add(p);
        if (!notCollected.isEmpty() && assumed == null) {
            Problem first = notCollected.get(0);
            out.add(new Finding(Cause.SETTING_NOT_COLLECTED, notCollectedHost(first),
                    Message.of(Sentences.SETTINGS_NOT_COLLECTED, notCollected.size(), first.message()), missingFile(first.source()),
                    Finding.Facts.none()));
        }
        if (!notUnderstood.isEmpty()) {
            Problem first = notUnderstood.get(0);
            out.add(new Finding(Cause.UNCERTAIN_SYNTAX, hostOf(r, first),
                    Message.of(Sentences.NOT_UNDERSTOOD, notUnderstood.size(), first.message()), first.source(), Finding.Facts.none()));
        }
        return out;
    }

    /**
     * The lost half died of a kernel setting the host's snapshot did not hold (no sysctl.txt): the drop names the
     * missing file, and the kernel's default decided. The cause is then that the setting is unknown, never the
     * default: a host that forwards in reality must not be blamed for not forwarding.
     */
    private Finding lossOnAssumedSetting(ProbeResult r) {
        LostAt lost = switch (r.verdict()) {
            case REQUEST_LOST -> r.request().lostAt();
            case REPLY_LOST -> r.reply().lostAt();
            case ROUND_TRIP_OK -> r.data() == null ? null : r.data().lostAt();
        };
        if (lost == null) return null;
        Host h = net.host(lost.host());
        if (h == null || h.sysctls().collected() || !lost.source().file().equals(h.sysctls().missing().file())) return null;
        Problem why = null;
        for (Problem p : r.uncertain()) if (why == null && p.source().equals(h.sysctls().missing())) why = p;
        return new Finding(Cause.SETTING_NOT_COLLECTED, h.name(), why != null ? why.message() : lost.reason(),
                missingFile(h.sysctls().missing()), Finding.Facts.none());
    }

    /** The host whose missing sysctl file a problem names; null for other problems. */
    private String notCollectedHost(Problem p) {
        for (Host h : net.hosts().values())
            if (!h.sysctls().collected() && p.source().equals(h.sysctls().missing())) return h.name();
        return null;
    }

    /** The evidence for a setting that was not collected: the file that is missing, never a value. */
    private static Source missingFile(Source missing) {
        return new Source(missing.file(), 0, "");
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

    /**
     * The request's hops up to the one that delivered it to a socket: the last local delivery, since a tunnel
     * endpoint on the way also takes the encrypted packet in locally (to the WireGuard or OpenVPN socket).
     */
    private static List<PacketPath.Hop> upToDelivery(List<PacketPath.Hop> hops) {
        for (int i = hops.size() - 1; i >= 0; i--) if (hops.get(i).local) return hops.subList(0, i + 1);
        return hops;
    }

    /** {@code ans[k]} handed the answer to a host the request did not come from. */
    private Finding diverged(List<PacketPath.Hop> req, List<PacketPath.Hop> ans, int n, int k) {
        PacketPath.Hop d = ans.get(k);
        PacketPath.Hop dReq = req.get(n - k);
        PacketPath.Hop expected = req.get(n - k - 1);
        boolean answerer = k == 0;
        boolean sameDev = Objects.equals(d.out, dReq.in);
        Ip prober = d.dstOut != null ? d.dstOut : d.dstIn;
        Ip backVia = addressOn(expected.host, expected.out, prober);
        Host host = net.host(d.host);

        if (!sameDev && host != null && host.managed()) {
            // a policy rule ahead of the main table took the answer, which the main table would have sent back
            Capture c = captured(host, d, prober, d.srcIn != null ? d.srcIn : d.srcOut, d.in);
            if (c != null && c.main().dev() != null && c.main().dev().equals(dReq.in)) {
                Finding.Builder facts = new Finding.Builder().prober(prober).proberNet(c.main().dst()).inDev(dReq.in)
                        .back(backVia, dReq.in).outDev(d.out).table(Route.TABLE_MAIN).forwardRoute(c.main());
                if (answerer) facts.localAddr(dReq.dstIn);
                return new Finding(Cause.ASYMMETRIC_REPLY, d.host, Message.of(Sentences.RULE_CAPTURES_ANSWER, dReq.in, expected.host,
                        c.ruleText(), prober, Route.tableName(c.rule().table()), d.out, route(c.used()), c.main().text()),
                        c.rule().source(), facts.build());
            }
        }
        if (!sameDev && answerer) {
            Integer table = tableRoutingBack(host, prober, dReq.in);
            if (table != null)
                return new Finding(Cause.LOCAL_SERVICE_WRONG_TABLE, d.host, Message.of(Sentences.ANSWERS_FROM_MAIN_TABLE, d.host,
                        d.routeWords(), Route.tableName(table), prober, dReq.in), d.routeSource(),
                        new Finding.Builder().prober(prober).inDev(dReq.in).back(backVia, dReq.in).localAddr(dReq.dstIn)
                                .outDev(d.out).table(table).build());
            return new Finding(Cause.ASYMMETRIC_REPLY, d.host, Message.of(Sentences.ANSWER_LEAVES_ELSEWHERE, dReq.in, expected.host,
                    d.out, d.routeWords()), d.routeSource(),
                    new Finding.Builder().prober(prober).inDev(dReq.in).back(backVia, dReq.in).localAddr(dReq.dstIn)
                            .outDev(d.out).build());
        }
        if (!answerer) {
            Finding snat = missingSnat(req, n - k);
            if (snat != null) return snat;
            if (!sameDev) {
                PacketPath.Hop dnat = firstDestinationNat(req, n - k);
                if (dnat != null)
                    return new Finding(Cause.DNAT_REPLY_VIA_DEFAULT_ROUTE, d.host, dnat.host.equals(d.host)
                            ? Message.of(Sentences.DNAT_ANSWER_LEAVES_ELSEWHERE, Message.of(Sentences.DNAT_HERE), dReq.in, expected.host,
                                    prober, d.out, d.routeWords())
                            : Message.of(Sentences.DNAT_ANSWER_BYPASSES_NAT, Message.of(Sentences.DNAT_ON, dnat.host), dReq.in,
                                    expected.host, prober, d.out, d.routeWords(), dnat.host),
                            d.routeSource(), new Finding.Builder().prober(prober).inDev(dReq.in).back(backVia, dReq.in)
                            .outDev(d.out).forwardRoute(dReq.routeUsed()).nat(natHostBefore(req, n - k), natDevBefore(req, n - k)).build());
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
        Ip prober = d.dstOut != null ? d.dstOut : d.dstIn;
        // an answerer that found no route at all never put its answer on a device: the request came from that address
        if (prober == null) prober = req.get(n - k).srcIn;
        Prefix proberNet = overlayOf(expected.host, prober, networkOf(expected.host, prober));
        Finding.Builder facts = new Finding.Builder().prober(prober).proberNet(proberNet)
                .nat(expected.host, expected.out);
        if (chosen < 0) {
            return new Finding(Cause.MISSING_RETURN_ROUTE, d.host, Message.of(Sentences.ANSWER_SENT_AWAY, d.host, prober,
                    d.routeWords(), expected.host), d.routeSource(), facts.build());
        }
        PacketPath.Hop h = ans.get(chosen);
        String tunnelIn = req.get(n - k).in;
        if (chosen == k && isTunnelDevice(d.host, tunnelIn)) {
            // the request came out of a tunnel here: the way back is into that tunnel, not the link under it
            facts.back(null, tunnelIn);
            return new Finding(Cause.MISSING_RETURN_ROUTE, d.host, Message.of(Sentences.ANSWER_AWAY_FROM_TUNNEL, d.host, prober,
                    d.routeWords(), expected.host, tunnelIn), d.routeSource(), facts.build());
        }
        String[] link = sharedLink(h.host, expected.host);
        facts.back(addressOn(expected.host, link[1], prober), link[0]);
        if (chosen != k) {
            String[] alt = sharedLink(d.host, expected.host);
            if (alt != null) facts.alt(d.host, alt[0], addressOn(expected.host, alt[1], prober));
        }
        Message said = h.route != null
                ? Message.of(Sentences.ANSWER_AWAY_FROM_LINK, h.host, prober, h.routeWords(), expected.host, link[0])
                : Message.of(Sentences.NO_ROUTE_BACK_TO_LINK, h.host, prober, expected.host, link[0]);
        Source evidence = h.route != null ? h.routeSource() : h.drop != null ? h.drop.source() : Source.NONE;
        return new Finding(Cause.MISSING_RETURN_ROUTE, h.host, said, evidence, facts.build());
    }

    /** The answer died on a host the request crossed ({@code ans[k]}, request index n-k). */
    private Finding lostOnPath(LostAt lost, List<PacketPath.Hop> req, List<PacketPath.Hop> ans, int n, int k) {
        if (!"routing".equals(lost.stage())) return null;
        if (k == 0) {
            // the answering host itself has no way back to the prober, and shares a link with the hop the request came
            // from: a route back on it, or, when it is not the user's (an upstream that routes only its own prefix),
            // source NAT on that hop
            if (n < 1 || sharedLink(ans.get(0).host, req.get(n - 1).host) == null) return null;
            Host answerer = net.host(ans.get(0).host);
            if (answerer != null && !answerer.managed()) {
                Finding snat = missingSnat(req, n, false);
                if (snat != null) return snat;
            }
            return missingReturnRoute(req, ans, n, 0);
        }
        Finding snat = missingSnat(req, n - k);
        if (snat != null) return snat;
        return missingReturnRoute(req, ans, n, k);
    }

    /**
     * The answer could not get back past request hop {@code at}: if the hop before it forwarded the request by its
     * default route (upstream) with a source address that is not its own and did no source NAT, that hop is
     * missing its SNAT. The prober itself is never such a hop.
     */
    private Finding missingSnat(List<PacketPath.Hop> req, int at) { return missingSnat(req, at, true); }

    /** As {@link #missingSnat(List, int)}; {@code upstream}: only when that hop forwarded by its default route. */
    private Finding missingSnat(List<PacketPath.Hop> req, int at, boolean upstream) {
        if (at < 2) return null;
        PacketPath.Hop e = req.get(at - 1);
        if (e.in == null || e.out == null || upstream && !e.viaDefaultRoute() || e.didSourceNat()) return null;
        Host host = net.host(e.host);
        if (host == null || host.ownsAddress(e.srcOut)) return null;
        return new Finding(Cause.MISSING_SNAT, e.host, Message.of(e.viaDefaultRoute() ? Sentences.FORWARDS_DEFAULT_WITHOUT_SNAT
                : Sentences.FORWARDS_WITHOUT_SNAT, e.host, e.srcOut, e.out, e.routeWords(), req.get(at).host), e.routeSource(),
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

    // ---------------------------------------------------------------- policy rules that capture traffic

    /** A route of a host's table, for a sentence that quotes it as a route. */
    private static Message.RouteText route(Route r) { return new Message.RouteText(r.text(), null); }

    /** A rule ahead of the main table's whose table routed a packet, the route it gave, and the main table's route. */
    record Capture(Rule rule, Route used, Route main) {
        String ruleText() { return rule.text().replace('\t', ' '); }
    }

    /**
     * The hop's route came from a table other than main, selected by a rule that fib_rules_lookup walks before the
     * main table's rule (`ip rule` order, lowest priority first), and the main table holds a more specific route for
     * the same destination out of another device: that rule captured the packet. Null otherwise.
     */
    private static Capture captured(Host host, PacketPath.Hop h, Ip dst, Ip src, String iif) {
        if (host == null || h.route == null || h.out == null || dst == null) return null;
        Rule via = h.routed().viaRule();
        if (via == null) return null;
        Rule rule = null;
        int mainPrio = 32766;
        for (Rule r : host.rules()) {
            if (r.family() != dst.family() || !"table".equals(r.action())) continue;
            if (r.table() == Route.TABLE_MAIN && r.from() == null && r.to() == null && r.fwmark() == null && r.iif() == null
                    && r.oif() == null && r.suppressPrefixLength() < 0 && !r.not()) mainPrio = Math.min(mainPrio, r.priority());
            if (r.equals(via) && r.table() != Route.TABLE_MAIN && r.table() != Route.TABLE_LOCAL) rule = r;
        }
        if (rule == null || rule.priority() >= mainPrio) return null;
        Route used = h.usedRoute(host);
        Route main = new Fib(host).lookupTable(Route.TABLE_MAIN, new Flow(dst, src, iif == null ? "lo" : iif, null, 0, 0));
        if (used == null || main == null || main.type() != roundtrip.model.RouteType.UNICAST || main.dev() == null
                || main.dev().equals(h.out) || main.dst().len() <= used.dst().len()) return null;
        return new Capture(rule, used, main);
    }

    /**
     * A request hop before {@code upTo} (a managed host) whose policy rule sent the request into a table that routes it
     * away (out of another device, by a broader route), although the main table delivers it to a network attached to
     * the host (a container bridge, a second interface): the rule captured traffic it was not meant for. Null when none.
     */
    private Finding requestCaptured(List<PacketPath.Hop> req, int upTo) {
        for (int i = 0; i < Math.min(upTo, req.size()); i++) {
            PacketPath.Hop h = req.get(i);
            Host host = net.host(h.host);
            if (host == null || !host.managed() || h.local) continue;
            Capture c = captured(host, h, h.dstOut, h.srcOut, h.in);
            if (c == null || c.main().gateway() != null) continue;
            return new Finding(Cause.POLICY_RULE_CAPTURES_LOCAL_TRAFFIC, h.host, Message.of(h.in == null
                    ? Sentences.RULE_CAPTURES_OWN_PACKET : Sentences.RULE_CAPTURES_FORWARDED_PACKET, c.ruleText(), h.host, h.srcOut,
                    h.dstOut, Route.tableName(c.rule().table()), route(c.used()), h.out, c.main().text(), c.main().dev()),
                    c.rule().source(), new Finding.Builder().prober(h.srcOut).lostDst(h.dstOut).proberNet(c.main().dst()).inDev(h.in)
                    .outDev(h.out).table(c.rule().table()).forwardRoute(c.main()).build());
        }
        return null;
    }

    /** A fwmark rule's table (not main/local/default) that would route {@code dst} out of {@code dev}, if any. */
    private static Integer tableRoutingBack(Host host, Ip dst, String dev) {
        Fib fib = new Fib(host);
        for (Rule rule : host.rules()) {
            if (rule.family() != dst.family()) continue;
            int t = rule.table();
            if (rule.fwmark() == null || !"table".equals(rule.action())
                    || t == Route.TABLE_MAIN || t == Route.TABLE_LOCAL || t == Route.TABLE_DEFAULT) continue;
            Route r = fib.lookupTable(rule.table(), Flow.output(dst, null, null, 0));
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
                // another address of the probe's family; the kernel never picks an address of the other one
                if (a.secondary() || a.isHostScope() || a.local().equals(first.srcOut) || a.family() != p.dst().family()) continue;
                Probe other = new Probe(p.id(), p.from(), a.local(), p.dst(), p.proto(), p.dport(), p.target(), null);
                if (!passes(sim.run(other, false))) continue;
                return new Finding(Cause.WRONG_SOURCE_ADDRESS, p.from(), Message.of(Sentences.WRONG_SOURCE_CHOSEN, p.from(),
                        first.srcOut, first.out, first.routeWords(), a.local()), first.routeSource(),
                        new Finding.Builder().prober(first.srcOut).localAddr(a.local()).outDev(first.out)
                                .forwardRoute(first.routeUsed()).build());
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- neighbours that do not answer


    /**
     * Nobody answered ARP for the next hop. For the route's gateway: the gateway is not on the link. For the destination
     * itself (a connected route): a broader route of another link than the gateway's swallows it, or the neighbour is on
     * the link only on paper (the gateway's link). The fix generators look for the router that reaches it.
     */
    private Finding arpLoss(LostAt lost, PacketPath.Hop hop) {
        Host host = net.host(lost.host());
        if (!(lost.why() instanceof Fact.NoNeighbour nn) || host == null || hop == null) return null;
        Ip target = nn.address();
        String dev = nn.dev();
        Route used = hop.usedRoute(host);
        Ip dst = hop.dstOut != null ? hop.dstOut : target;
        if (target.isV6() && target.equals(dst)) {
            Finding proxy = ndpProxyMissing(host, dev, target, hop, lost);
            if (proxy != null) return proxy;
        }
        Source evidence = used != null && used.source() != null && used.source() != Source.NONE ? used.source() : lost.source();
        Finding.Builder facts = new Finding.Builder().outDev(dev).lostDst(dst).forwardRoute(hop.routeUsed());
        if (!target.equals(dst) || used != null && used.gateway() != null)
            return new Finding(Cause.GATEWAY_NOT_ON_LINK, host.name(), Message.of(Sentences.GATEWAY_NOT_ON_LINK, host.name(), dst,
                    target, dev, hop.routeWords()), evidence, facts.build());
        Route gw = defaultGateway(host, dst.family());
        if (gw != null && !dev.equals(gw.dev()))
            return new Finding(Cause.ROUTE_SWALLOWS_DESTINATION, host.name(), Message.of(Sentences.ROUTE_SWALLOWS_DESTINATION,
                    host.name(), hop.routeWords(), dst, dev, gw.gateway(), gw.dev()), evidence, facts.back(gw.gateway(), gw.dev()).build());
        return new Finding(Cause.NEIGHBOUR_UNREACHABLE_ON_LINK, host.name(), gw != null
                ? Message.of(Sentences.NEIGHBOUR_SILENT_GATEWAY_NEAR, host.name(), dst, dev, hop.routeWords(), gw.gateway())
                : Message.of(Sentences.NEIGHBOUR_SILENT, host.name(), dst, dev, hop.routeWords()), evidence,
                gw == null ? facts.build() : facts.back(gw.gateway(), gw.dev()).build());
    }

    /**
     * Nobody on the link answers the solicitation for an IPv6 address, and a host on that link would forward it
     * elsewhere (its IPv6 forwarding is on and its route for the address, looked up as for a packet arriving on its
     * interface there, leaves by another device): that host is where the address lives, and it does not answer for it
     * (ndisc_recv_ns answers for a proxy entry only with proxy_ndp). Null when no such host is managed.
     */
    private Finding ndpProxyMissing(Host asker, String dev, Ip target, PacketPath.Hop hop, LostAt lost) {
        for (Segment.Attachment m : net.peersOn(asker.name(), dev)) {
            Host h = net.host(m.host());
            if (h == null || !h.managed() || !h.sysctls().forwarding6(m.iface())) continue;
            roundtrip.kernel.FibResult r = new Fib(h).lookup(roundtrip.kernel.Flow.input(target, null, m.iface(), 0));
            if (r.isError() || r.type() != roundtrip.model.RouteType.UNICAST || r.route().dev() == null
                    || r.route().dev().equals(m.iface())) continue;
            return new Finding(Cause.NDP_PROXY_MISSING, h.name(), Message.of(Sentences.NDP_PROXY_MISSING, asker.name(), target, dev,
                    hop.routeText(), h.name(), r.route().text(), m.iface()), r.route().source(),
                    new Finding.Builder().outDev(m.iface()).lostDst(target).build());
        }
        return null;
    }

    /** The host's default route with a gateway in the main table, or null. */
    static Route defaultGateway(Host h, Ip.Family family) {
        for (Route r : h.routes())
            if (r.table() == Route.TABLE_MAIN && r.dst().len() == 0 && r.gateway() != null && r.type() == roundtrip.model.RouteType.UNICAST
                    && r.family() == family) return r;
        return null;
    }

    // ---------------------------------------------------------------- source NAT to an address the host does not own

    /**
     * A hop of the request path before {@code upTo} (exclusive) that source-NATed the request to an address it does not
     * own, by a SNAT rule (MASQUERADE always picks an own address): the packet then dies downstream as spoofed, or its
     * answers go to that address. Null when none did.
     */
    private Finding snatToForeign(List<PacketPath.Hop> req, int upTo) {
        for (int i = 0; i < Math.min(upTo, req.size()); i++) {
            PacketPath.Hop h = req.get(i);
            Host host = net.host(h.host);
            if (host == null || !host.managed() || !h.didSourceNat() || h.srcOut == null || host.ownsAddress(h.srcOut)) continue;
            Source rule = Source.NONE;
            for (var st : h.steps) if (st.fact() instanceof Fact.RuleHit hit && hit.boundNat(NatAction.Type.SNAT)) rule = st.source();
            if (rule == Source.NONE) continue;
            Ip before = h.srcIn != null ? h.srcIn : h.srcOut;
            Interface own = h.out == null ? null : host.iface(h.out);
            return new Finding(Cause.SNAT_TO_FOREIGN_ADDRESS, h.host, own != null && own.primary() != null
                    ? Message.of(Sentences.SNAT_TO_FOREIGN_OWN, h.host, before, h.srcOut, h.out, own.primary().local())
                    : Message.of(Sentences.SNAT_TO_FOREIGN, h.host, before, h.srcOut, h.out),
                    rule, new Finding.Builder().prober(before).proberNet(networkOf(h.host, before)).inDev(h.in).outDev(h.out)
                    .chain("nat POSTROUTING").build());
        }
        return null;
    }

    // ---------------------------------------------------------------- the rule that narrowly missed (issue 12 item 2)

    /**
     * A hop of the request path that forwarded a source it does not own without source NAT, while one of its own NAT
     * rules would have taken the packet had it left by another interface: that rule was meant for it and names the
     * wrong -o. The what-if runs the host's nat POSTROUTING chain (as nf_nat_ipv4_out does for a new connection) with
     * only the out interface changed. Null when no hop has such a rule.
     */
    private Finding nearMissSnat(List<PacketPath.Hop> req, int upTo) {
        for (int i = 1; i < Math.min(upTo, req.size()); i++) {
            PacketPath.Hop h = req.get(i);
            Host host = net.host(h.host);
            if (host == null || !host.managed() || host.firewall() == null || h.in == null || h.out == null || h.srcOut == null
                    || h.dstOut == null || h.didSourceNat() || host.ownsAddress(h.srcOut)) continue;
            // outbound by the default route, as source NAT is meant for; a port-forwarded request keeps its source by design
            if (!h.viaDefaultRoute() || h.didDestinationNat()) continue;
            String proto = protoOf(h);
            Fib fib = new Fib(host);
            for (Interface other : host.interfaces().values()) {
                if (other.isLoopback() || other.name().equals(h.out)) continue;
                roundtrip.model.Packet p = probePacket(h.srcOut, h.dstOut, proto, h.dportIn);
                if (p == null) continue;
                roundtrip.netfilter.PacketContext ctx = new roundtrip.netfilter.PacketContext(p, roundtrip.netfilter.Hook.POSTROUTING,
                        null, other.name(), roundtrip.netfilter.CtState.NEW, false, false, false, null, null, 0, fib::addressType);
                roundtrip.netfilter.Verdict v;
                try {
                    v = natRulesOf(host.firewall(), h.srcOut).evaluate("nat", roundtrip.netfilter.Hook.POSTROUTING, ctx);
                } catch (RuntimeException e) {
                    continue;
                }
                if (v == null || v.kind() != roundtrip.netfilter.Verdict.Kind.NAT || v.decidedBy() == null || v.decidedBy() == Source.NONE)
                    continue;
                String target = v.decidedBy().text().contains("MASQUERADE") ? "MASQUERADE" : "SNAT";
                return new Finding(Cause.MISSING_SNAT, h.host, Message.of(Sentences.NAT_RULE_NAMES_OTHER_OUT, target, h.host,
                        other.name(), h.srcOut, h.out, h.routeWords()), v.decidedBy(),
                        new Finding.Builder().prober(h.srcOut).proberNet(networkOf(h.host, h.srcOut)).inDev(h.in).outDev(h.out)
                                .nat(h.host, h.out).build());
            }
        }
        return null;
    }

    /**
     * A hop of the lost request that has a WireGuard peer on the host whose own network holds the destination, and
     * sent the packet elsewhere (or lost it) because that peer's AllowedIPs lack the network (issue 12 item 2: a list
     * one prefix short). WireGuard's peers are known by their public keys; the network is the peer host's connected
     * subnet that holds the destination, outside its tunnel devices. The first such hop is named.
     */
    private Finding allowedIpsShort(ProbeResult r) {
        if (r.verdict() != ProbeResult.Verdict.REQUEST_LOST) return null;
        for (PacketPath.Hop h : requestHops(r)) {
            Host host = net.host(h.host);
            Ip dst = h.dstOut != null ? h.dstOut : h.dstIn;
            if (host == null || !host.managed() || dst == null) continue;
            for (roundtrip.model.TunnelConfig t : host.tunnels()) {
                if (!(t instanceof WireGuardConfig wg) || wg.device().equals(h.out)) continue;
                for (WireGuardConfig.Peer p : wg.peers()) {
                    if (p.allowedIps().stream().anyMatch(a -> a.contains(dst))) continue;
                    Host site = peerHost(p.publicKey(), host.name());
                    if (site == null) continue;
                    Prefix lan = connectedNet(site, dst);
                    Message held = lan == null ? null : Message.of(Sentences.SITE_NETWORK_HOLDS, lan, dst);
                    if (lan == null && (lan = routedNet(site, dst)) != null) held = Message.of(Sentences.SITE_ROUTES_ON, lan, dst);
                    if (lan == null && splitTunnelOnly(r, wg, site, dst)) {
                        lan = Prefix.parse("0.0.0.0/0");
                        held = Message.of(Sentences.SITE_REACHES_BY_DEFAULT, dst);
                    }
                    if (lan == null) continue;
                    String allowed = String.join(", ", p.allowedIps().stream().map(Prefix::toString).toList());
                    return new Finding(Cause.WIREGUARD_ALLOWED_IPS_LACK_PREFIX, host.name(), Message.of(Sentences.ALLOWED_IPS_SHORT,
                            p.shortKey(), host.name(), wg.device(), site.name(), held, allowed,
                            Message.of(lan.len() == 0 ? Sentences.ALLOWED_IPS_ONLY_THOSE : Sentences.ALLOWED_IPS_LACK_IT),
                            h.out != null ? Message.of(Sentences.SENDS_IT_OUT, h.out, h.routeWords()) : Message.of(Sentences.NO_WAY_INTO_TUNNEL)),
                            p.source(), new Finding.Builder().tunnel(wg.device(), p.publicKey(), null).missingNet(lan).prober(h.srcIn).build());
                }
            }
        }
        return null;
    }

    /**
     * The narrowest route of {@code site}'s main table that holds {@code dst} and leads on from it (not a default route,
     * not into a tunnel, not a blackhole): a network the site routes to, which its peers can route through it. Null when none.
     */
    private static Prefix routedNet(Host site, Ip dst) {
        Route best = null;
        for (Route r : site.routes()) {
            if (r.table() != Route.TABLE_MAIN || r.type() != roundtrip.model.RouteType.UNICAST || r.dst().len() == 0
                    || r.dst().family() != dst.family() || !r.dst().contains(dst)) continue;
            Interface dev = r.dev() == null ? null : site.interfaces().get(r.dev());
            if (dev == null || "wireguard".equals(dev.kind()) || "tun".equals(dev.kind())) continue;
            if (best == null || r.dst().len() > best.dst().len()) best = r;
        }
        return best == null ? null : best.dst();
    }

    /**
     * A split-tunnel road warrior (one peer, the hub) whose request for an address beyond the hub's default route went
     * out of its own uplink and was lost on a host the user cannot change (a captive or filtered network, the ISP):
     * only the full tunnel (AllowedIPs 0.0.0.0/0) would carry it, and the hub forwards to its default route.
     */
    private boolean splitTunnelOnly(ProbeResult r, WireGuardConfig wg, Host site, Ip dst) {
        if (wg.peers().size() != 1 || !dst.isV4() || !site.sysctls().ipForward()) return false;
        LostAt lost = r.request().lostAt();
        Host at = lost == null ? null : net.host(lost.host());
        if (at == null || at.managed()) return false;
        var route = new Fib(site).lookup(roundtrip.kernel.Flow.output(dst, null, null, 0));
        if (route.isError() || route.route() == null || route.route().dst().len() != 0) return false;
        Interface out = site.interfaces().get(route.route().dev());
        return out != null && !"wireguard".equals(out.kind()) && !"tun".equals(out.kind());
    }

    /** The host (other than {@code except}) whose WireGuard interface has this public key; null when none. */
    private Host peerHost(String publicKey, String except) {
        if (publicKey == null) return null;
        for (Host x : net.hosts().values())
            for (roundtrip.model.TunnelConfig t : x.tunnels())
                if (t instanceof WireGuardConfig wg && publicKey.equals(wg.publicKey()) && !x.name().equals(except)) return x;
        return null;
    }

    /** The subnet of one of {@code h}'s addresses (not on a tunnel device) that holds {@code dst}; null when none. */
    private static Prefix connectedNet(Host h, Ip dst) {
        for (Interface i : h.interfaces().values()) {
            if (i.isLoopback() || "wireguard".equals(i.kind()) || "tun".equals(i.kind())) continue;
            for (roundtrip.model.Address a : i.addresses())
                if (a.family() == dst.family() && a.prefixLen() < dst.width() && a.subnet().contains(dst)) return a.subnet();
        }
        return null;
    }

    // ---------------------------------------------------------------- hosts the user cannot change (issue 12 item 1)

    /**
     * When the first cause lies on a host the user cannot change (managed: false), the cause on the nearest host of
     * the path that is theirs goes first: the unmanaged host is said to be out of reach, and the cause names what the
     * managed host can do instead (source NAT to an address the other host routes and accepts, answers out of the
     * interface the request came in on, a route to the host that holds an overlay). The unmanaged host's finding
     * stays after it, as the place the packet died.
     */
    private void managedFirst(ProbeResult r, List<Finding> out) {
        if (out.isEmpty()) return;
        Finding top = out.get(0);
        Host u = net.host(top.host());
        if (u == null || u.managed()) return;
        Finding instead = insteadOfUnmanaged(r, top);
        if (instead != null) {
            out.removeIf(f -> f.cause() == instead.cause() && f.host().equals(instead.host()));
            out.add(0, instead);
        }
    }

    private Finding insteadOfUnmanaged(ProbeResult r, Finding top) {
        String u = top.host();
        LostAt lost = switch (r.verdict()) {
            case REQUEST_LOST -> r.request().lostAt();
            case REPLY_LOST -> r.reply().lostAt();
            case ROUND_TRIP_OK -> r.data() == null ? null : r.data().lostAt();
        };
        Message head = lost != null && lost.host().equals(u) ? lostWords(u, lost) : Message.of(Sentences.CAUSE_LIES_THERE, u, top.cause().id());
        List<PacketPath.Hop> req = requestHops(r);
        int uAt = -1;
        for (int i = 0; i < req.size(); i++) if (req.get(i).host.equals(u)) { uAt = i; if (r.verdict() != ProbeResult.Verdict.REQUEST_LOST) break; }
        if (r.verdict() == ProbeResult.Verdict.REPLY_LOST) {
            // the answerer's own answer, out of another device than the request came in by
            List<PacketPath.Hop> ans = path(r, "reply").hops();
            int lostAt = -1;
            for (int i = 0; i < ans.size(); i++) if (ans.get(i).host.equals(u)) { lostAt = i; break; }
            if (lostAt > 0 && !req.isEmpty()) {
                PacketPath.Hop a = ans.get(0);
                PacketPath.Hop aReq = req.get(req.size() - 1);
                Host ah = net.host(a.host);
                if (ah != null && ah.managed() && a.host.equals(aReq.host) && a.out != null && aReq.in != null && !a.out.equals(aReq.in)
                        && req.size() >= 2) {
                    PacketPath.Hop expected = req.get(req.size() - 2);
                    Ip prober = a.dstOut;
                    return new Finding(Cause.ASYMMETRIC_REPLY, a.host, notYours(head, u, Message.of(Sentences.SEND_ANSWER_BACK, aReq.in,
                            expected.host, a.out, a.routeWords(), aReq.in)), a.routeSource(), new Finding.Builder().prober(prober).inDev(aReq.in)
                            .back(addressOn(expected.host, expected.out, prober), aReq.in).localAddr(aReq.dstIn).outDev(a.out).build());
                }
            }
        }
        // the request's last managed forwarder before the unmanaged host
        int upTo = uAt >= 0 ? uAt : req.size();
        Finding snat = snatToForeign(req, upTo);
        if (snat != null)
            return new Finding(snat.cause(), snat.host(), notYours(head, u, snat.summary()), snat.evidence(), snat.facts());
        boolean routing = lost != null && lost.host().equals(u) && ("routing".equals(lost.stage()) || "forwarding".equals(lost.stage()));
        PacketPath.Hop fallback = null;
        for (int i = upTo - 1; i >= 0; i--) {
            PacketPath.Hop h = req.get(i);
            Host mh = net.host(h.host);
            // before a tunnel endpoint the packet was another one (the outer datagram)
            if (i < upTo - 1 && h.local) break;
            if (mh == null || !mh.managed() || h.out == null) continue;
            if (fallback == null) fallback = h;
            if (r.verdict() == ProbeResult.Verdict.REQUEST_LOST && routing && h.dstOut != null) {
                // the destination is not routed by the unmanaged host: a neighbour of the managed one may hold it
                if (!neighbourRoutes(mh, h.dstOut).isEmpty())
                    return new Finding(overlayOrTunnel(mh, h), h.host, notYours(head, u, Message.of(Sentences.HANDS_TO_UNMANAGED, h.host,
                            h.dstOut, h.routeWords(), String.join(", ", neighbourRoutes(mh, h.dstOut)))), h.routeSource(),
                            new Finding.Builder().prober(h.srcOut).lostDst(h.dstOut).outDev(h.out).build());
            }
            if (h.in != null && h.out != null && h.srcOut != null && !h.didSourceNat() && !mh.ownsAddress(h.srcOut)) {
                Sentences verb = r.verdict() == ProbeResult.Verdict.REQUEST_LOST ? Sentences.MASQUERADE_FOR_UNMANAGED_ACCEPT
                        : Sentences.MASQUERADE_FOR_UNMANAGED_ROUTE_BACK;
                return new Finding(Cause.MISSING_SNAT, h.host, notYours(head, u, Message.of(verb, u, h.host, h.srcOut, h.out,
                        h.routeWords())), h.routeSource(), new Finding.Builder().prober(h.srcOut).proberNet(networkOf(h.host, h.srcOut)).inDev(h.in)
                        .outDev(h.out).nat(h.host, h.out).build());
            }
        }
        if (fallback == null) return null;
        return new Finding(Cause.UNMANAGED_HOST_DROPS, fallback.host, notYours(head, u, Message.of(Sentences.LAST_HOST_YOURS,
                fallback.host)), fallback.routeSource(), new Finding.Builder().outDev(fallback.out).lostDst(fallback.dstOut).build());
    }

    /**
     * A phase's path as the analysis follows it (issue 12 item 3, inner before outer): the packet itself, without the hosts
     * a tunnel's encrypted datagram crossed on its behalf: a daemon's drop or a route inside the tunnel is never blamed on
     * the underlay. The whole path, underlay included, only when what died was that datagram (the underlay dropped
     * udp/51820, a tunnel routed into itself), in every phase alike, so that the answer's path is compared with the
     * request's on the same level.
     */
    private static PacketPath path(ProbeResult r, String phase) {
        return outerLost(r) ? PacketPath.of(r, phase) : PacketPath.inner(r, phase);
    }

    /** Did the failing phase lose a tunnel's outer datagram rather than the packet itself. */
    private static boolean outerLost(ProbeResult r) {
        String lostPhase = switch (r.verdict()) {
            case REQUEST_LOST -> "request";
            case REPLY_LOST -> "reply";
            case ROUND_TRIP_OK -> r.data() == null ? null : PacketPath.of(r, "data reply").isEmpty() ? "data" : "data reply";
        };
        return lostPhase != null && PacketPath.of(r, lostPhase).outerLost();
    }

    /** The request's hops: all of them when it was lost, else up to its delivery (the last local delivery). */
    private static List<PacketPath.Hop> requestHops(ProbeResult r) {
        List<PacketPath.Hop> hops = path(r, "request").hops();
        return r.verdict() == ProbeResult.Verdict.REQUEST_LOST ? hops : upToDelivery(hops);
    }

    /** "HOST drops it (netfilter: ...)": what happened to the packet on the host {@code u} where it was lost. */
    private static Message lostWords(String u, LostAt lost) {
        return switch (lost.stage()) {
            case "routing" -> Message.of(Sentences.CANNOT_ROUTE_IT, u, lost.reason());
            case "forwarding" -> Message.of(Sentences.DOES_NOT_FORWARD_IT, u, lost.reason());
            default -> Message.of(Sentences.DROPS_IT, u, stage(lost), lost.reason());
        };
    }

    /** "{head}: HOST is not yours to change (managed: false); {tail}". */
    private static Message notYours(Message head, String u, Message tail) {
        return Message.of(Sentences.NOT_YOURS, head, u, tail);
    }

    /** The stage a packet was lost at, as a word the report translates. */
    private static Message.Term stage(LostAt lost) { return Message.Term.of(lost.stage()); }

    /** "HOST" for each forwarding neighbour on h's links with a route (not a default one) for dst. */
    private List<String> neighbourRoutes(Host h, Ip dst) { return neighbourRoutes(h, dst, 0, null); }

    /**
     * "HOST" for each forwarding neighbour on h's links, other than {@code except}, whose route for dst is more specific
     * than {@code thanLen} bits and does not lead back to h.
     */
    private List<String> neighbourRoutes(Host h, Ip dst, int thanLen, String except) {
        List<String> out = new ArrayList<>();
        for (Segment seg : net.segments()) {
            String dev = null;
            for (Segment.Attachment a : seg.members()) if (a.host().equals(h.name())) dev = a.iface();
            if (dev == null) continue;
            for (Segment.Attachment a : seg.members()) {
                Host m = net.host(a.host());
                if (m == null || m == h || a.host().equals(except) || m.iface(a.iface()) == null || !m.sysctls().forwarding(a.iface())) continue;
                FibResult fr = new Fib(m).lookup(Flow.output(dst, null, null, 0));
                if (fr.isError() || fr.route() == null || fr.route().dst().len() == 0 || fr.route().dst().len() <= thanLen) continue;
                if (fr.route().gateway() != null && h.ownsAddress(fr.route().gateway())) continue;
                if (!out.contains(m.name())) out.add(m.name());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- no route: the host that sent it there (issue 12 item 3)

    /**
     * A request that died for lack of a route on a host of the user's (often the upstream a LAN router hands everything
     * it does not know to) was sent there by a managed host's broader route (usually its default) while a forwarding
     * host on that host's own link routes the destination more specifically: the VPN server or tunnel endpoint that owns
     * the pool. That host lacks the route to the overlay, as an admin would say, and the dying host keeps its own finding
     * after it. The dying host stays first when a neighbour of its own routes the destination (its own route is then
     * the one to add). Unmanaged dying hosts are handled by {@link #managedFirst}. Linux routes each hop by
     * fib_lookup on the destination alone, so the first host whose lookup left the way is where the route is missing.
     */
    private void lookBackForRoute(ProbeResult r, List<Finding> out) {
        LostAt lost = r.request().lostAt();
        if (out.isEmpty() || r.verdict() != ProbeResult.Verdict.REQUEST_LOST || lost == null || !"routing".equals(lost.stage())) return;
        Finding top = out.get(0);
        Host dying = net.host(lost.host());
        if (top.cause() != Cause.NO_ROUTE || !top.host().equals(lost.host()) || dying == null || !dying.managed()) return;
        List<PacketPath.Hop> req = requestHops(r);
        int at = -1;
        for (int i = 0; i < req.size(); i++) if (req.get(i).host.equals(lost.host())) at = i;
        if (at <= 0) return;
        Ip dst = req.get(at).dstIn;
        if (dst == null || !neighbourRoutes(dying, dst).isEmpty()) return;
        for (int i = at - 1; i >= 0; i--) {
            PacketPath.Hop h = req.get(i);
            Host mh = net.host(h.host);
            if (mh == null || !mh.managed() || h.out == null || h.dstOut == null || h.route == null) continue;
            Route used = h.usedRoute(mh);
            int usedLen = used == null ? (h.viaDefaultRoute() ? 0 : h.dstOut.width()) : used.dst().len();
            String next = req.get(i + 1).host;
            List<String> ns = neighbourRoutes(mh, h.dstOut, usedLen, next);
            if (ns.isEmpty()) continue;
            Finding f = new Finding(overlayOrTunnel(mh, h), h.host, next.equals(lost.host())
                    ? Message.of(Sentences.HANDS_TO_ROUTELESS, h.host, h.dstOut, next, h.routeWords(), String.join(", ", ns))
                    : Message.of(Sentences.HANDS_TO_DIES_FURTHER, h.host, h.dstOut, next, h.routeWords(), lost.host(), String.join(", ", ns)),
                    h.routeSource(), new Finding.Builder().prober(h.srcOut).lostDst(h.dstOut).outDev(h.out).build());
            out.removeIf(o -> o.cause() == f.cause() && o.host().equals(f.host()));
            out.add(0, f);
            return;
        }
    }

    // ---------------------------------------------------------------- where a packet was dropped

    private static final java.util.Set<String> IPTABLES_TABLES = java.util.Set.of("raw", "mangle", "nat", "filter", "security");

    /**
     * The base chain that dropped, named as iptables names it ("filter FORWARD"); an nft table counts when it bears an
     * iptables table's name ("inet filter" gives "filter forward"). Null for other nft tables (fw4, firewalld).
     */
    private static String iptablesChain(Fact.Filtered f) {
        String t = f.table().substring(f.table().lastIndexOf(' ') + 1);
        return IPTABLES_TABLES.contains(t) ? t + " " + f.chain() : null;
    }

    /** The iptables rules that see packets of {@code like}'s family: iptables-save's, or ip6tables-save's for IPv6. */
    private static roundtrip.netfilter.Ruleset xtablesOf(Host host, Ip like) {
        return like.isV4() ? host.firewall().iptablesPart() : host.firewall().ip6tablesPart();
    }

    /**
     * The rules to ask what source NAT a packet of {@code like}'s family gets: for IPv4 the firewall without its
     * ip6tables part; for IPv6 its ip6tables part when it has one beside others, else the firewall itself.
     */
    private static roundtrip.netfilter.Ruleset natRulesOf(roundtrip.netfilter.Ruleset fw, Ip like) {
        if (like.isV4()) return withoutIp6tables(fw);
        roundtrip.netfilter.Ruleset six = fw.ip6tablesPart();
        return six != null && fw instanceof roundtrip.netfilter.Ruleset.Combined ? six : fw;
    }

    /** A firewall without its ip6tables part, for asking what its IPv4 rules do (iptables beside ip6tables). */
    private static roundtrip.netfilter.Ruleset withoutIp6tables(roundtrip.netfilter.Ruleset fw) {
        roundtrip.netfilter.Ruleset six = fw.ip6tablesPart();
        if (six == null || !(fw instanceof roundtrip.netfilter.Ruleset.Combined c)) return fw;
        if (c.second() == six) return c.first();
        if (c.first() == six) return c.second();
        if (c.first() instanceof roundtrip.netfilter.Ruleset.Combined inner && inner.second() == six)
            return roundtrip.netfilter.Ruleset.combine(inner.first(), c.second());
        return fw;
    }

    /**
     * A host with no IPv6 route to {@code dst} and no IPv6 default route at all, one of whose devices has a global IPv6
     * address, forwards, and takes router advertisements only while it does not (accept_ra 1, collected), on a link
     * where a router (a host that forwards IPv6) sits: its default route came from that router's advertisements, which
     * it now ignores (ipv6_accept_ra). Null otherwise.
     */
    private Finding raIgnored(Host h, Ip dst) {
        if (h == null || !dst.isV6()) return null;
        for (Route r : h.routes()) if (r.dst().addr().isV6() && r.dst().len() == 0 && r.table() != Route.TABLE_LOCAL) return null;
        for (Interface i : h.interfaces().values()) {
            String raKey = Sysctls.conf6Key(i.name(), "accept_ra");
            if (i.isLoopback() || !i.up() || h.sysctls().get(raKey) == null || h.sysctls().intValue(raKey, 1) != 1
                    || !h.sysctls().deviceForwarding6(i.name())
                    || i.addresses().stream().noneMatch(a -> a.local().isV6() && !a.local().isLinkLocal())) continue;
            for (Segment.Attachment m : net.peersOn(h.name(), i.name())) {
                Host r = net.host(m.host());
                Interface ri = r == null ? null : r.iface(m.iface());
                Ip router = ri == null || !r.sysctls().forwarding6(ri.name()) ? null : advertisingAddress(ri);
                if (router == null) continue;
                String fwdKey = h.sysctls().get(Sysctls.conf6Key(i.name(), "forwarding")) != null
                        ? Sysctls.conf6Key(i.name(), "forwarding") : "net.ipv6.conf.all.forwarding";
                return new Finding(Cause.RA_IGNORED_WHILE_FORWARDING, h.name(),
                        Message.of(Sentences.RA_IGNORED, h.name(), i.name(), fwdKey, raKey, r.name()),
                        h.sysctls().source(raKey),
                        new Finding.Builder().sysctlKey(raKey).outDev(i.name()).back(router, i.name()).lostDst(dst).build());
            }
        }
        return null;
    }

    /** The address a router's advertisements come from on {@code dev}: its link-local one, else any IPv6 one; null without. */
    private static Ip advertisingAddress(Interface dev) {
        Ip any = null;
        for (Address a : dev.addresses()) {
            if (!a.local().isV6()) continue;
            if (a.local().isLinkLocal()) return a.local();
            if (any == null) any = a.local();
        }
        return any;
    }

    /** The cause named by the stage that dropped the packet. */
    Finding fromLoss(LostAt lost, PacketPath path) {
        if (lost == null) return null;
        PacketPath.Hop hop = null;
        for (PacketPath.Hop h : path.hops()) if (h.host.equals(lost.host())) hop = h;
        String in = hop == null ? null : hop.in;
        String match = hop == null ? null : match(hop);
        String out = hop == null ? null : hop.out != null ? hop.out : hop.routeDevice();
        if (hop != null && in == null && out == null)
            for (var st : hop.steps)
                // a bridged frame dropped by the bridge host's chains: they saw it in and out by the bridge
                if (st.fact() instanceof Fact.Bridged b && b.stopped()) in = out = b.bridge();
        Finding.Builder facts = new Finding.Builder().inDev(in).outDev(out)
                .underlayPort(hop != null && hop.underlay && "udp".equals(protoOf(hop)) ? hop.dportIn : 0);
        if (hop != null)
            for (var st : hop.steps) if (st.fact() instanceof Fact.Tracked t) facts.ct(t.state().name());
        Source src = lost.source();
        Cause cause;
        switch (lost.stage()) {
            case "forwarding" -> {
                cause = Cause.IP_FORWARD_OFF;
                // the switch that decided: ip_forward, or the input device's own
                facts.sysctlKey(lost.why() instanceof Fact.ForwardingOff f ? f.key() : "net.ipv4.ip_forward");
            }
            case "arp", "ndp" -> {
                if (lost.why() instanceof Fact.NdFiltered nd) {
                    Fact.Filtered f = nd.filtered();
                    // "filter INPUT" for iptables, "inet filter input" (family, table, chain) for nft
                    String chain = f == null ? null : f.table() + " " + f.chain();
                    return new Finding(Cause.NEIGHBOUR_DISCOVERY_FILTERED, nd.host(), Message.of(nd.advert()
                            ? Sentences.ADVERTISEMENT_FILTERED : Sentences.SOLICITATION_FILTERED, nd.host(),
                            f == null ? "firewall" : f.table() + " " + f.chain(), nd.address(), lost.host(), nd.dev()),
                            src, new Finding.Builder().chain(chain).inDev(nd.host().equals(lost.host()) ? nd.dev() : null)
                                    .lostDst(nd.address()).build());
                }
                Finding a = arpLoss(lost, hop);
                if (a != null) return a;
                cause = Cause.OTHER_LOSS;
            }
            case "rp_filter" -> {
                cause = Cause.RP_FILTER_DROP;
                facts.sysctlKey(lost.why() instanceof Fact.RpFilter f ? f.key() : "net.ipv4.conf.all.rp_filter");
            }
            case "netfilter" -> {
                String chain = lost.why() instanceof Fact.Filtered f ? iptablesChain(f) : null;
                facts.chain(chain).match(match);
                // sent by this host itself: the route it was going to take (what an OUTPUT accept is sized to)
                if (hop != null && hop.in == null && hop.route != null) facts.forwardRoute(hop.routeUsed());
                if (src.text().contains("INVALID")) cause = Cause.CONNTRACK_INVALID;
                else if (chain != null && chain.endsWith(" FORWARD") && src.text().isEmpty()) cause = Cause.FORWARD_DROP;
                else if (in != null && out != null && isCatchAll(net.host(lost.host()), lost.why(), src)) cause = Cause.FORWARD_DROP;
                else cause = Cause.FILTER_RULE_DROP;
            }
            case "routing" -> {
                cause = Cause.NO_ROUTE;
                if (hop != null && hop.dstIn != null) facts.lostDst(hop.dstIn);
                Finding ra = lost.why() instanceof Fact.NoRoute nr ? raIgnored(net.host(lost.host()), nr.dst()) : null;
                if (ra != null) return ra;
            }
            case "socket" -> cause = lost.why() instanceof Fact.MisaddressedAnswer ? Cause.OTHER_LOSS : Cause.NOTHING_LISTENS;
            case "wireguard", "openvpn" -> {
                Finding t = tunnelLoss(lost, hop);
                if (t != null) return t;
                cause = Cause.TUNNEL_DROP;
            }
            default -> cause = Cause.OTHER_LOSS;
        }
        // forwarded requests only: the drop was in the FORWARD path (not INPUT's, where `out` is only the route's device)
        if (cause == Cause.FILTER_RULE_DROP && hop != null && src.text().startsWith("-A ")) {
            Finding behind = acceptBehind(lost, hop, in, out, facts);
            if (behind != null) return behind;
        }
        if ((cause == Cause.FORWARD_DROP || cause == Cause.FILTER_RULE_DROP) && hop != null && in != null && out != null
                && "filter FORWARD".equals(facts.build().chain()) && !facts.build().established()) {
            Finding meant = acceptMeantFor(cause, lost, hop, in, out, facts);
            if (meant != null) return meant;
        }
        return new Finding(cause, lost.host(), Message.of(Sentences.LOST_AT, stage(lost), lost.reason()), src, facts.build());
    }

    /**
     * A forwarded request dropped while an ACCEPT rule of the host's FORWARD path differs from it in one header field
     * (issue 12 item 2): that rule was meant for it, and the field is the mistake ("-s 10.7.0.0/24" for a pool that
     * is 10.8.0.0/24 now, "-o eth0" on a host that leaves by ens3). Named with the rule as the evidence and the field
     * that differs. The what-if is the packet as the FORWARD hook saw it (after DNAT, before SNAT), a new connection.
     */
    private Finding acceptMeantFor(Cause cause, LostAt lost, PacketPath.Hop hop, String in, String out, Finding.Builder facts) {
        Host host = net.host(lost.host());
        roundtrip.netfilter.Ruleset fw = host == null || hop.srcIn == null ? null : xtablesOf(host, hop.srcIn);
        if (!(fw instanceof roundtrip.netfilter.iptables.IptablesRuleset ipt)) return null;
        Ip dst = hop.dstOut != null ? hop.dstOut : hop.dstIn;
        roundtrip.model.Packet p = probePacket(hop.srcIn, dst, protoOf(hop), hop.dportIn);
        if (p == null) return null;
        roundtrip.netfilter.PacketContext ctx = new roundtrip.netfilter.PacketContext(p, roundtrip.netfilter.Hook.FORWARD, in, out,
                roundtrip.netfilter.CtState.NEW, false, false, false, null, null, 0, new Fib(host)::addressType);
        List<roundtrip.netfilter.iptables.IptablesRuleset.NearMiss> misses;
        try {
            misses = ipt.nearMisses("filter", "FORWARD", ctx);
        } catch (RuntimeException e) {
            return null;
        }
        // an interface the host has (and is up) names a sibling pair on purpose (-i lan2 next to the lan1 that lacks
        // one); one it does not have, or a wrong address or protocol, is the mistake
        misses = misses.stream().filter(x -> !(x.flag().equals("-i") || x.flag().equals("-o"))
                || host.iface(x.written()) == null || !host.iface(x.written()).up()).toList();
        if (misses.isEmpty()) return null;
        var m = misses.get(0);
        Message what = Message.of(switch (m.flag()) {
            case "-s" -> Sentences.PACKET_COMES_FROM;
            case "-d" -> Sentences.PACKET_GOES_TO;
            case "-p" -> Sentences.PACKET_IS;
            case "-i" -> Sentences.PACKET_COMES_IN_BY;
            default -> Sentences.PACKET_LEAVES_BY;
        }, m.actual());
        return new Finding(cause, host.name(), Message.of(Sentences.ACCEPT_MEANT_FOR, host.name(), m.flag(), m.written(), what,
                stage(lost), lost.reason()), m.rule(),
                facts.meant(m.flag(), m.actual()).build());
    }

    /**
     * A request dropped by a rule while a later ACCEPT of the same chain would have taken it: the order is the mistake
     * (accepts appended behind a catch-all REJECT). The what-if is the packet as the chain saw it, a new connection.
     */
    private Finding acceptBehind(LostAt lost, PacketPath.Hop hop, String in, String out, Finding.Builder facts) {
        Host host = net.host(lost.host());
        String[] tc = facts.build().chain() == null ? null : facts.build().chain().split(" ", 2);
        roundtrip.netfilter.Ruleset fw = host == null || hop.srcIn == null ? null : xtablesOf(host, hop.srcIn);
        if (tc == null || tc.length != 2 || !(fw instanceof roundtrip.netfilter.iptables.IptablesRuleset ipt)
                || facts.build().established()) return null;
        roundtrip.netfilter.Hook hook = switch (tc[1]) {
            case "INPUT" -> roundtrip.netfilter.Hook.INPUT;
            case "OUTPUT" -> roundtrip.netfilter.Hook.OUTPUT;
            default -> roundtrip.netfilter.Hook.FORWARD;
        };
        Ip dst = hop.dstOut != null ? hop.dstOut : hop.dstIn;
        roundtrip.model.Packet p = probePacket(hop.srcIn, dst, protoOf(hop), hop.dportIn);
        if (p == null) return null;
        roundtrip.netfilter.PacketContext ctx = new roundtrip.netfilter.PacketContext(p, hook, in, hook == roundtrip.netfilter.Hook.INPUT ? null : out,
                roundtrip.netfilter.CtState.NEW, false, false, false, null, null, 0, new Fib(host)::addressType);
        List<Source> accepts;
        try {
            accepts = ipt.acceptsAfter(tc[0], tc[1], lost.source(), ctx);
        } catch (RuntimeException e) {
            return null;
        }
        if (accepts.isEmpty()) return null;
        Source a = accepts.get(0);
        return new Finding(Cause.ACCEPT_RULE_AFTER_REJECT, host.name(), Message.of(Sentences.ACCEPT_BEHIND_DROP, a.text(), a.where(),
                lost.source().text(), lost.source().where(), tc[1]),
                lost.source(), facts.build());
    }

    /**
     * A destination a neighbour on the host's link routes, sent elsewhere: by a full tunnel's routes (a default or
     * 0.0.0.0/1, 128.0.0.0/1 into a tunnel device) the cause is that the tunnel takes the local network; else the
     * host lacks the route to it.
     */
    private static Cause overlayOrTunnel(Host h, PacketPath.Hop hop) {
        Route used = hop.usedRoute(h);
        Interface dev = hop.out == null ? null : h.iface(hop.out);
        boolean tunnel = dev != null && ("tun".equals(dev.kind()) || "wireguard".equals(dev.kind()));
        return tunnel && used != null && used.dst().len() <= 1 ? Cause.ROUTE_INTO_TUNNEL_FOR_LOCAL_NETWORK : Cause.MISSING_ROUTE_TO_OVERLAY;
    }

    /** A first packet of a new connection, as a what-if runs it through rules; null for a protocol it cannot make. */
    private static roundtrip.model.Packet probePacket(Ip src, Ip dst, String proto, int dport) {
        roundtrip.model.Packet p = new roundtrip.model.Packet();
        p.src = src;
        p.dst = dst;
        // a ping is ICMPv6 echo for an IPv6 destination
        p.proto = "tcp".equals(proto) ? roundtrip.model.Packet.TCP : "udp".equals(proto) ? roundtrip.model.Packet.UDP
                : "icmp".equals(proto) || "ipv6-icmp".equals(proto) ? roundtrip.model.Packet.icmpProto(dst.family()) : 0;
        if (p.proto == 0) return null;
        p.sport = p.isIcmp() ? 0 : 40000;
        p.dport = dport;
        if (p.proto == roundtrip.model.Packet.TCP) p.tcpFlags = roundtrip.model.Packet.SYN;
        if (p.isIcmp()) p.icmpType = roundtrip.model.Packet.echoRequestType(dst.family());
        return p;
    }

    /** fw4's handle_reject and zone policy chains: reject or drop everything, the flavour by protocol at most. */
    private static final Pattern NFT_CATCH_ALL = Pattern.compile(
            "^(?:counter(?: packets \\d+ bytes \\d+)? )?(?:meta l4proto \\S+ )?(?:reject(?: with .*?)?|drop)(?: comment \"[^\"]*\")?$");

    /**
     * A forwarded packet dropped by a rule that drops everything reaching it at the end of the forward path: the
     * host's forward policy written as a rule (firewalld's final REJECT, fw4's handle_reject for its defaults'
     * forward REJECT), which an admin calls the forward policy, not a rule that matched this traffic. An iptables rule
     * must be FORWARD's last (accepts appended after it are the mistake: see acceptBehind).
     */
    private static boolean isCatchAll(Host h, Fact.Why why, Source rule) {
        if (h != null && h.firewall().iptablesPart() instanceof roundtrip.netfilter.iptables.IptablesRuleset ipt
                && ipt.isCatchAllEnd("filter", "FORWARD", rule)) return true;
        return why instanceof Fact.Filtered f && isNftForward(f) && NFT_CATCH_ALL.matcher(rule.text().strip()).matches();
    }

    /**
     * A rule (not a policy) of a chain an nft forward base chain reached: its base chain is named for forwarding ("inet
     * fw4 forward", "inet firewalld filter_FORWARD"); the rule may sit in a chain it jumped to (fw4's handle_reject).
     */
    private static boolean isNftForward(Fact.Filtered f) {
        return !f.policy() && f.table().indexOf(' ') > 0 && f.chain().toLowerCase(java.util.Locale.ROOT).contains("forward");
    }

    /** A tunnel daemon's drop named by the check that failed (the facts its log line states). Null when unknown. */
    private Finding tunnelLoss(LostAt lost, PacketPath.Hop hop) {
        Host host = net.host(lost.host());
        if (host == null) return null;
        Fact.Why why = lost.why();
        if (why instanceof Fact.WgUnallowedSource u) {
            String dev = u.dev();
            Ip src = u.src();
            WireGuardConfig wg = wireGuard(host, dev);
            WireGuardConfig.Peer peer = null;
            if (wg != null)
                for (WireGuardConfig.Peer p : wg.peers())
                    if (p.publicKey() != null && p.shortKey().equals(u.peerShortKey())) peer = p;
            if (peer == null) return null;
            // the sending side: the host whose WireGuard interface has this peer's key; it routes the source into a network
            String[] sender = wireGuardHostWithKey(peer.publicKey());
            Prefix srcNet = sender == null ? Prefix.host(src) : networkOf(sender[0], src);
            return new Finding(Cause.WIREGUARD_SOURCE_NOT_ALLOWED, host.name(), sender != null
                    ? Message.of(Sentences.WG_SOURCE_NOT_ALLOWED_FORWARDED, host.name(), dev, src, peer.shortKey(),
                            String.valueOf(peer.allowedIps()), sender[0], srcNet, sender[1])
                    : Message.of(Sentences.WG_SOURCE_NOT_ALLOWED, host.name(), dev, src, peer.shortKey(), String.valueOf(peer.allowedIps())),
                    lost.source(), new Finding.Builder().prober(src).proberNet(srcNet).inDev(hop == null ? null : hop.in)
                    .nat(sender == null ? null : sender[0], sender == null ? null : sender[1])
                    .tunnel(dev, peer.publicKey(), peer.endpointAddr()).build());
        }
        if (why instanceof Fact.WgNoPeer np) {
            String dev = np.dev();
            Ip dst = np.dst();
            WireGuardConfig wg = wireGuard(host, dev);
            Route used = hop == null ? null : hop.usedRoute(host);
            Prefix dstNet = used != null && used.dst().len() > 0 ? used.dst() : Prefix.host(dst);
            WireGuardConfig.Peer only = wg != null && wg.peers().size() == 1 ? wg.peers().get(0) : null;
            if (wg != null && only == null) {
                // several peers: the one whose host routes the destination out of a device that is not its WireGuard interface
                for (WireGuardConfig.Peer p : wg.peers()) {
                    String[] far = p.publicKey() == null ? null : wireGuardHostWithKey(p.publicKey());
                    Host fh = far == null ? null : net.host(far[0]);
                    if (fh == null) continue;
                    FibResult fr = new Fib(fh).lookup(Flow.output(dst, null, null, 0));
                    if (fh.ownsAddress(dst) || !fr.isError() && fr.route() != null && wireGuard(fh, fr.route().dev()) == null) {
                        if (only != null) { only = null; break; }
                        only = p;
                    }
                }
            }
            return new Finding(Cause.WIREGUARD_NO_PEER, host.name(), hop != null && hop.routed() != null
                    ? Message.of(Sentences.WG_NO_PEER_ROUTED, host.name(), dst, dev, hop.routeWords())
                    : Message.of(Sentences.WG_NO_PEER, host.name(), dst, dev), only != null ? only.allowedIpsSource() : lost.source(), new Finding.Builder().prober(dst).proberNet(dstNet).outDev(dev)
                    .tunnel(dev, only == null ? null : only.publicKey(), only == null ? null : only.endpointAddr()).build());
        }
        if (why instanceof Fact.OvpnBadSource bad) {
            String cn = bad.commonName();
            Ip src = bad.src();
            OpenVpnConfig server = null;
            for (TunnelConfig t : host.tunnels()) if (t instanceof OpenVpnConfig o && o.isServer() && server == null) server = o;
            if (server == null) return null;
            // the network to route to the client: the server's own `route` for the source, else its kernel route into the tunnel
            Prefix srcNet = null;
            for (OpenVpnConfig.RouteOption r : server.routes()) if (r.net().contains(src)) srcNet = r.net();
            if (srcNet == null) {
                Prefix routed = networkOf(host.name(), src);
                FibResult fr = new Fib(host).lookup(Flow.output(src, null, null, 0));
                srcNet = !fr.isError() && fr.route() != null && server.device().equals(fr.route().dev()) ? routed : Prefix.host(src);
            }
            final Prefix net0 = srcNet;
            String elsewhere = server.ccds().stream().filter(c -> !c.commonName().equals(cn)
                    && c.iroutes().stream().anyMatch(i -> i.net().contains(src))).map(OpenVpnConfig.Ccd::commonName).findFirst().orElse(null);
            String dir = server.clientConfigDir() == null ? "a client-config-dir" : server.clientConfigDir();
            return new Finding(Cause.OPENVPN_MISSING_IROUTE, host.name(), elsewhere != null
                    ? Message.of(Sentences.OVPN_IROUTE_IN_OTHER_FILE, host.name(), server.device(), cn, src, net0, dir, elsewhere)
                    : Message.of(Sentences.OVPN_IROUTE_MISSING, host.name(), server.device(), cn, src, net0, dir),
                    lost.source(), new Finding.Builder().prober(src).proberNet(net0).inDev(hop == null ? null : hop.in)
                    .tunnel(server.device(), cn, null).build());
        }
        if (why instanceof Fact.OvpnNoClient nc) {
            Ip dst = nc.dst();
            OpenVpnConfig server = null;
            for (TunnelConfig t : host.tunnels()) if (t instanceof OpenVpnConfig o && o.isServer() && server == null) server = o;
            String[] behind = server == null ? null : openVpnClientBehind(host, server, dst);
            if (behind == null) return null;
            Prefix dstNet = null;
            for (OpenVpnConfig.RouteOption r : server.routes()) if (r.net().contains(dst)) dstNet = r.net();
            if (dstNet == null) {
                Route used = hop == null ? null : hop.usedRoute(host);
                dstNet = used != null && used.dst().len() > 0 ? used.dst() : Prefix.host(dst);
            }
            return new Finding(Cause.OPENVPN_MISSING_IROUTE, host.name(), Message.of(Sentences.OVPN_BEHIND_CLIENT, host.name(),
                    server.device(), dst, behind[1], behind[0]), lost.source(), new Finding.Builder().prober(dst).proberNet(dstNet)
                    .outDev(server.device()).tunnel(server.device(), behind[1], null).build());
        }
        if (why instanceof Fact.TunnelLoop loop) {
            Ip peerAddr = loop.peer();
            String dev = loop.dev() != null ? loop.dev() : hop != null ? hop.out : null;
            // the evidence: the route that sends the server's address into the tunnel
            FibResult fr = new Fib(host).lookup(Flow.output(peerAddr, null, null, 0));
            Route into = fr.isError() ? null : fr.route();
            Source evidence = into != null && into.source() != null && into.source() != Source.NONE ? into.source() : lost.source();
            Message said = dev != null
                    ? into != null ? Message.of(Sentences.TUNNEL_INTO_ITSELF_BY, host.name(), peerAddr, dev, route(into))
                            : Message.of(Sentences.TUNNEL_INTO_ITSELF_DEV, host.name(), peerAddr, dev)
                    : into != null ? Message.of(Sentences.TUNNEL_INTO_ITSELF_ROUTE, host.name(), peerAddr, route(into))
                            : Message.of(Sentences.TUNNEL_INTO_ITSELF, host.name(), peerAddr);
            return new Finding(Cause.TUNNEL_ROUTED_INTO_ITSELF, host.name(), said, evidence,
                    new Finding.Builder().outDev(dev).tunnel(dev, null, peerAddr).build());
        }
        return null;
    }

    /**
     * A hop that sent the lost packet out of a non-WireGuard device although a WireGuard interface of the same host
     * has a peer whose AllowedIPs (not a default) hold the destination, more specifically than the route used, and
     * the packet was then lost further on: the route into the interface is missing.
     */
    private Finding allowedIpsNotRouted(PacketPath path, LostAt lost) {
        if (lost == null || path.isEmpty()) return null;
        List<PacketPath.Hop> hops = path.hops();
        for (int i = 0; i < hops.size(); i++) {
            PacketPath.Hop h = hops.get(i);
            boolean lostLater = false;
            for (int k = i + 1; k < hops.size(); k++) if (hops.get(k).host.equals(lost.host())) lostLater = true;
            if (!lostLater || h.out == null || h.dstOut == null) continue;
            Host host = net.host(h.host);
            if (host == null || wireGuard(host, h.out) != null) continue;
            Route used = h.usedRoute(host);
            int usedLen = used == null ? 0 : used.dst().len();
            for (TunnelConfig t : host.tunnels()) {
                if (!(t instanceof WireGuardConfig wg)) continue;
                for (WireGuardConfig.Peer p : wg.peers())
                    for (Prefix a : p.allowedIps()) {
                        if (a.len() == 0 || a.len() <= usedLen || !a.contains(h.dstOut)) continue;
                        return new Finding(Cause.WIREGUARD_ALLOWED_IPS_NOT_ROUTED, h.host, Message.of(Sentences.ALLOWED_IPS_NOT_ROUTED,
                                h.host, h.dstOut, h.out, h.routeWords(), wg.device(), p.shortKey(), a), p.allowedIpsSource(),
                                new Finding.Builder().prober(h.dstOut).proberNet(a).outDev(wg.device())
                                        .tunnel(wg.device(), p.publicKey(), p.endpointAddr()).build());
                    }
            }
        }
        return null;
    }

    /**
     * {host, common name} of the client of {@code server} behind which {@code dst} lies: a host running an OpenVPN
     * client towards an address of the server's host that owns {@code dst} or routes it out of a device that is not
     * its tunnel. Its common name is the one the server's status file lists for its tunnel address, else its host
     * name (as the pairing takes it). Null unless exactly one client fits.
     */
    private String[] openVpnClientBehind(Host serverHost, OpenVpnConfig server, Ip dst) {
        String[] found = null;
        for (Host h : net.hosts().values()) {
            for (TunnelConfig t : h.tunnels()) {
                if (!(t instanceof OpenVpnConfig c) || c.isServer() || c.remotes().isEmpty()) continue;
                Ip remote = c.remotes().get(0).addr();
                if (remote == null || !serverHost.ownsAddress(remote)) continue;
                FibResult fr = new Fib(h).lookup(Flow.output(dst, null, null, 0));
                boolean behind = h.ownsAddress(dst) && h.interfaceWithAddress(dst) != null
                        && !c.device().equals(h.interfaceWithAddress(dst).name())
                        || !fr.isError() && fr.route() != null && !c.device().equals(fr.route().dev()) && !isTunnelDevice(h.name(), fr.route().dev())
                        && fr.route().dst().len() > 0;
                if (!behind) continue;
                String cn = h.name();
                Interface tun = h.iface(c.device());
                if (server.status() != null && tun != null && tun.primary() != null)
                    for (OpenVpnConfig.StatusClient sc : server.status().clients())
                        if (sc.virtualAddr() != null && sc.virtualAddr().equals(tun.primary().local())) cn = sc.commonName();
                if (server.status() != null && tun != null && tun.primary() != null)
                    for (OpenVpnConfig.StatusRoute sr : server.status().routes())
                        if (sr.virtual() != null && sr.virtual().len() == 32 && sr.virtual().addr().equals(tun.primary().local())) cn = sr.commonName();
                if (found != null) return null;
                found = new String[] {h.name(), cn};
            }
        }
        return found;
    }

    private boolean isTunnelDevice(String hostName, String dev) {
        Host host = net.host(hostName);
        return host != null && dev != null && host.tunnels().stream().anyMatch(t -> dev.equals(t.device()));
    }

    private static final Pattern INVALID = Pattern.compile("(?i)ct ?state (\\S+,)*invalid|--ctstate (\\S+,)*INVALID");
    private static final Pattern OIFNAME = Pattern.compile("oifname \"([^\"]+)\"");

    /** The answer's drop as INVALID on a host the request never crossed; the path split where {@code split} says. */
    private Finding invalidOffPath(LostAt lost, PacketPath answer, Finding split) {
        Finding.Builder facts = new Finding.Builder();
        for (PacketPath.Hop h : answer.hops()) if (h.host.equals(lost.host())) facts.inDev(h.in).outDev(h.out);
        if (lost.why() instanceof Fact.Filtered f) facts.chain(f.verdictChain() != null ? f.verdictChain() : iptablesChain(f));
        Matcher o = OIFNAME.matcher(lost.source().text());
        if (o.find()) facts.outDev(o.group(1));
        return new Finding(Cause.CONNTRACK_INVALID_ASYMMETRIC, lost.host(), Message.of(Sentences.INVALID_OFF_PATH, lost.host(),
                split.host(), lost.source().text()),
                lost.source(), facts.build());
    }

    private static WireGuardConfig wireGuard(Host host, String dev) {
        for (TunnelConfig t : host.tunnels()) if (t instanceof WireGuardConfig wg && wg.device().equals(dev)) return wg;
        return null;
    }

    /** {host, device} of the WireGuard interface whose public key is {@code key}, or null. */
    private String[] wireGuardHostWithKey(String key) {
        for (Host h : net.hosts().values())
            for (TunnelConfig t : h.tunnels())
                if (t instanceof WireGuardConfig wg && key.equals(wg.publicKey())) return new String[] {h.name(), wg.device()};
        return null;
    }


    /** iptables matches for the packet as it was on this hop: addresses, protocol and destination port. */
    private String match(PacketPath.Hop hop) {
        Ip src = hop.in != null ? hop.srcIn : hop.srcOut, dst = hop.in != null ? hop.dstIn : hop.dstOut;
        if (src == null || dst == null) return null;
        String proto = protoOf(hop);
        // sized to the network, not to the probe: the client's whole network when it is connected to this host
        String from = String.valueOf(src);
        Host h = net.host(hop.host);
        if (h != null && hop.in != null)
            for (Route r : h.routes())
                if (r.table() == Route.TABLE_MAIN && r.type() == roundtrip.model.RouteType.UNICAST && r.gateway() == null
                        && hop.in.equals(r.dev()) && r.dst().len() > 0 && r.dst().len() < src.width() && r.dst().contains(src)
                        && r.family() == src.family()) from = String.valueOf(r.dst());
        StringBuilder sb = new StringBuilder("-s ").append(from).append(" -d ").append(dst);
        if (proto != null) {
            sb.append(" -p ").append(proto);
            if (hop.dportIn != 0 && !proto.endsWith("icmp")) sb.append(" -m ").append(proto).append(" --dport ").append(hop.dportIn);
        }
        return sb.toString();
    }

    /** The protocol of the packet as it last came in (after a tunnel's decryption, the inner packet's). */
    private static String protoOf(PacketPath.Hop hop) {
        String proto = null;
        for (var s : hop.steps) {
            if (!(s.fact() instanceof Fact.Seen seen) || !seen.in() && proto != null) continue;
            switch (seen.packet().proto) {
                case roundtrip.model.Packet.ICMP -> proto = "icmp";
                // ip6tables' name for ICMPv6 (`-p icmp` never matches an IPv6 packet)
                case roundtrip.model.Packet.ICMPV6 -> proto = "ipv6-icmp";
                case roundtrip.model.Packet.TCP -> proto = "tcp";
                case roundtrip.model.Packet.UDP -> proto = "udp";
                default -> { }
            }
        }
        return proto;
    }

    // ---------------------------------------------------------------- topology helpers

    /**
     * The address a route via {@code host}'s {@code dev} names as gateway, of the family of {@code like}: the first
     * IPv4 address, or for IPv6 the first one that is not link-local (a link-local gateway also works with `dev`, but
     * is not stable across hardware changes), else the link-local one.
     */
    private Ip addressOn(String host, String dev, Ip like) {
        Host h = net.host(host);
        Interface i = h == null || dev == null ? null : h.iface(dev);
        if (i == null) return null;
        Ip.Family family = like == null ? Ip.Family.IPV4 : like.family();
        if (family == Ip.Family.IPV6) {
            Ip linkLocal = null;
            for (roundtrip.model.Address a : i.addresses()) {
                if (a.family() != family) continue;
                if (!a.local().isLinkLocal()) return a.local();
                if (linkLocal == null) linkLocal = a.local();
            }
            return linkLocal;
        }
        return i.primary() == null ? null : i.primary().local();
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

    /**
     * A return route sized to the network, not to the probe: when {@code host} reaches {@code addr} by a host route
     * (a VPN client's /32, a peer's AllowedIPs), the overlay it belongs to: the OpenVPN server's pool on that device
     * (`server NET MASK`), else the subnet of an address of that device that holds it (wg0's 10.8.0.1/24).
     */
    private Prefix overlayOf(String host, Ip addr, Prefix routed) {
        Host h = net.host(host);
        if (h == null || routed == null || routed.len() != addr.width()) return routed;
        FibResult r = new Fib(h).lookup(Flow.output(addr, null, null, 0));
        String dev = r.isError() || r.route() == null ? null : r.route().dev();
        if (dev == null) return routed;
        for (TunnelConfig t : h.tunnels())
            if (t instanceof OpenVpnConfig o && dev.equals(o.device()) && o.server() != null && o.server().contains(addr)) return o.server();
        Interface i = h.iface(dev);
        if (i != null)
            for (Address a : i.addresses(addr.family()))
                if (a.subnet().len() < addr.width() && a.subnet().contains(addr)) return a.subnet();
        return routed;
    }

    /** The network {@code host} routes {@code addr} into: the route's prefix, or the address alone for a default route. */
    private Prefix networkOf(String host, Ip addr) {
        Host h = net.host(host);
        if (h == null) return Prefix.host(addr);
        FibResult r = new Fib(h).lookup(Flow.output(addr, null, null, 0));
        if (r.isError() || r.route() == null || r.route().dst().len() == 0) return Prefix.host(addr);
        return r.route().dst();
    }
}
