package roundtrip.sim;

import roundtrip.kernel.Fact;
import roundtrip.kernel.Connection;
import roundtrip.kernel.Conntrack;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Flow;
import roundtrip.kernel.HostKernel;
import roundtrip.kernel.Outcome;
import roundtrip.kernel.Trace;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.tunnel.OpenVpnTunnel;
import roundtrip.netfilter.Hook;
import roundtrip.tunnel.Tunnel;
import roundtrip.tunnel.TunnelResult;
import roundtrip.tunnel.TunnelState;
import roundtrip.tunnel.Tunnels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulates probes across the network: the request from the prober's own output path, hop by hop through each
 * host's kernel and the link layer, the answer of the receiving socket, back again with the conntrack state
 * the request left on every host, and for TCP the first data segment and its answer. Thread-safe: every probe
 * gets its own conntrack tables.
 */
public final class Simulator {
    private static final int MAX_HOPS = 300;
    private static final int CLIENT_PORT = 40000;
    private static final int ECHO_ID = 4242;

    private final Network net;
    private final Map<String, HostKernel> kernels = new HashMap<>();
    /** per host what a hop needs, found with one lookup: its kernel, its place in a probe's tables, whether it has tunnels */
    private final Map<String, Entry> entries = new HashMap<>();

    private record Entry(HostKernel kernel, int index, boolean tunnels) {}
    /** where a frame the link layer delivered arrives: the host's entry and the device, found by name once per answer */
    private record Receiver(Entry entry, HostKernel.Device device) {}
    private final L2<Receiver> l2;
    private Tunnels tunnels;

    public Simulator(Network net) { this(net, null); }

    /**
     * A simulator of {@code net} that takes over the kernels {@code like} built for the very same host objects: a
     * kernel is made from its host alone and is not changed by running probes, and a network edited by a fix shares
     * every host the fix did not touch (verifying a fix built all of them again, a sixth of a `why` run).
     */
    public Simulator(Network net, Simulator like) {
        this.net = net;
        for (Host h : net.hosts().values()) {
            HostKernel same = like != null && like.net.host(h.name()) == h ? like.kernels.get(h.name()) : null;
            kernels.put(h.name(), same != null ? same : new HostKernel(h));
        }
        // called only while simulating, when every host has its entry
        this.l2 = new L2<>(net, kernels, (host, dev) -> new Receiver(entries.get(host), kernels.get(host).device(dev)));
        // paired by address first, so that the OpenVPN clients' first packets can be followed (across other tunnels
        // too); then paired by where those packets really arrive
        this.tunnels = new Tunnels(net);
        for (Host h : net.hosts().values())
            entries.put(h.name(), new Entry(kernels.get(h.name()), entries.size(), tunnels.onHost(h.name())));
        if (net.hosts().values().stream().anyMatch(h -> h.tunnels().stream().anyMatch(t -> t instanceof roundtrip.model.OpenVpnConfig)))
            this.tunnels = new Tunnels(net, this::outerArrival);
    }

    /** Where a packet {@code from} sends arrives, as the receiving socket sees it (for {@link Tunnels.OuterPath}). */
    private Tunnels.Arrival outerArrival(String from, Packet p) {
        Walk w = walk(new State(), from, p.copy(), true, false, null, false, new Trace(false));
        if (w.delivered()) return new Tunnels.Arrival(w.host(), w.packet(), null, null);
        return new Tunnels.Arrival(null, null, w.lost() == null ? null : w.lost().host(), w.lost() == null ? null : w.lost().reason());
    }

    /** Tunnel pairing problems (keys that pair with nothing, endpoints nobody owns). */
    public List<Problem> problems() { return tunnels.problems(); }

    public Network network() { return net; }

    /** Per-probe state: one conntrack table per host, and the server sockets that completed a handshake. */
    private final class State {
        // a round trip enters a few hosts of many: their tables side by side, found by a short scan
        int[] hostIndex = new int[8];
        Conntrack[] tables = new Conntrack[8];
        int count;
        final TunnelState tunnels = new TunnelState();
        Conntrack of(String host) { return of(entries.get(host)); }
        Conntrack of(Entry e) {
            int want = e.index();
            for (int i = 0; i < count; i++) if (hostIndex[i] == want) return tables[i];
            if (count == tables.length) {
                hostIndex = java.util.Arrays.copyOf(hostIndex, count * 2);
                tables = java.util.Arrays.copyOf(tables, count * 2);
            }
            hostIndex[count] = want;
            Conntrack t = tables[count];
            if (t == null) t = tables[count] = new Conntrack();
            count++;
            return t;
        }
        /** Empty again for the next probe: the tables are kept, emptied, for the hosts it enters. */
        void reset() {
            for (int i = 0; i < count; i++) tables[i].clear();
            count = 0;
            tunnels.clear();
        }
    }

    /**
     * Runs probes one after another on one thread, each from empty tables as {@link #run(Probe, boolean)} does, but in
     * the same conntrack tables, emptied between probes: a matrix runs millions of probes, and making every probe's
     * tables anew was a tenth of what it allocated (issue 13). Not for sharing between threads.
     */
    public final class Reusing {
        private final State st = new State();

        private Reusing() {}

        public ProbeResult run(Probe probe, boolean keepTrace) {
            st.reset();
            return Simulator.this.run(probe, keepTrace, st);
        }
    }

    /** A runner of probes that reuses its tables from one probe to the next (one per thread). */
    public Reusing reusing() { return new Reusing(); }

    /** How one packet's journey ended. */
    private record Walk(boolean delivered, String host, String dev, Packet packet, Connection ct, LostAt lost,
                        List<String> entered, List<HostKernel.Generated> generated, List<String> generatedBy) {}

    public ProbeResult run(Probe probe) { return run(probe, true); }

    public ProbeResult run(Probe probe, boolean keepTrace) { return run(probe, keepTrace, new State()); }

    /**
     * As {@link #run(Probe, boolean)}, and adds to {@code hostsEntered} the hosts whose kernels the exchange's packets
     * entered (sent, received or bridged them: each has a conntrack table of the run).
     */
    public ProbeResult run(Probe probe, boolean keepTrace, java.util.Collection<String> hostsEntered) {
        State st = new State();
        ProbeResult r = run(probe, keepTrace, st);
        for (Map.Entry<String, Entry> e : entries.entrySet())
            for (int i = 0; i < st.count; i++) if (st.hostIndex[i] == e.getValue().index()) hostsEntered.add(e.getKey());
        return r;
    }

    private ProbeResult run(Probe probe, boolean keepTrace, State st) {
        // the entry, not the network's map: its kernel is needed too, and the host's is one lookup
        Entry clientEntry = entries.get(probe.from());
        Host client = clientEntry == null ? null : clientEntry.kernel().host();
        if (client == null) throw new InputException("probe " + probe.id(), 0, "unknown host \"" + probe.from() + "\"");
        List<ProbeResult.Phase> phases = new ArrayList<>();
        List<Problem> uncertain = new ArrayList<>();
        List<Message> notes = new ArrayList<>();
        keepalives(st, notes);

        Packet req = new Packet();
        req.proto = probe.proto();
        req.dst = probe.dst();
        req.src = probe.src();
        switch (probe.proto()) {
            case Packet.TCP -> { req.sport = CLIENT_PORT; req.dport = probe.dport(); req.tcpFlags = Packet.SYN; }
            case Packet.UDP -> { req.sport = CLIENT_PORT; req.dport = probe.dport(); req.payload = 16; }
            default -> {
                req.proto = Packet.icmpProto(req.dst.family());
                req.icmpType = Packet.echoRequestType(req.dst.family());
                req.sport = ECHO_ID; req.dport = ECHO_ID; req.payload = 56;
            }
        }
        if (req.src == null) {
            // the source a connecting socket gets (ip_route_connect's first lookup)
            HostKernel k = clientEntry.kernel();
            FibResult r = k.fib().lookup(Flow.output(req.dst, null, null, 0));
            if (!r.isError()) req.src = k.fib().preferredSource(r, req.dst);
        }
        Ip clientAddr = req.src;
        int clientPort = req.sport;

        // request
        Trace t = new Trace(keepTrace);
        Walk w = walk(st, client.name(), req.copy(), true, true, null, false, t);
        phases.add(new ProbeResult.Phase("request", Message.text(keepTrace ? req.describe() : ""), t.steps()));
        uncertain.addAll(t.uncertainties());
        followGenerated(st, w, phases, uncertain, notes, client.name(), keepTrace);

        String target = probe.target();
        boolean reqDelivered;
        String deliveredTo;
        if (target != null) {
            reqDelivered = w.entered().contains(target);
            deliveredTo = reqDelivered ? target : null;
        } else if (w.delivered()) {
            reqDelivered = true;
            deliveredTo = w.host();
        } else {
            // dropped on the host the packet was addressed to (e.g. by its INPUT chain): it did arrive there
            Host h = net.host(w.lost().host());
            reqDelivered = h != null && h.ownsAddress(w.packet().dst) && !w.lost().host().equals(client.name())
                    && w.entered().contains(h.name());
            deliveredTo = reqDelivered ? h.name() : null;
        }
        Half request;
        if (reqDelivered) request = w.delivered() && w.host().equals(deliveredTo) && probe.proto() != Packet.ICMP
                ? Half.ok(deliveredTo, w.packet().dport) : Half.ok(deliveredTo);
        else if (w.delivered()) request = Half.lost(new LostAt(w.host(), "delivery",
                Message.of(Sentences.REQUEST_DELIVERED_ELSEWHERE, w.host(), target), Source.NONE));
        else request = Half.lost(w.lost());

        // delivered to another host than the target (an unexpected DNAT, NAT reflection): that host answers, and an answer
        // that gets back is a round trip all the same (design §2: from whichever host answered), as the prober sees it
        boolean elsewhere = w.delivered() && target != null && !w.host().equals(target);
        if (!reqDelivered && !elsewhere) {
            return new ProbeResult(probe, ProbeResult.Verdict.REQUEST_LOST, request,
                    Half.lost(null), probe.proto() == Packet.TCP ? Half.lost(null) : null, phases, uncertain, notes);
        }
        if (!w.delivered()) {
            return new ProbeResult(probe, ProbeResult.Verdict.REPLY_LOST, request,
                    Half.lost(new LostAt(w.lost().host(), w.lost().stage(), Message.of(Sentences.NO_ANSWER_SENT,
                            w.lost().host(), w.lost().reason()), w.lost().source(), w.lost().why())),
                    probe.proto() == Packet.TCP ? Half.lost(null) : null, phases, uncertain, notes);
        }
        if (elsewhere)
            notes.add(Message.of(reqDelivered ? Sentences.ANSWERED_ELSEWHERE_PASSED : Sentences.ANSWERED_ELSEWHERE, w.host(), target));

        // the answer
        Exchange ex = answer(st, w, client.name(), clientAddr, clientPort, probe, false, phases, uncertain, notes, keepTrace);
        Half reply = ex.half;
        Half data = null;
        if (probe.proto() == Packet.TCP) {
            if (reply.delivered()) {
                Packet seg = new Packet();
                seg.proto = Packet.TCP;
                seg.src = clientAddr; seg.sport = clientPort; seg.dst = probe.dst(); seg.dport = probe.dport();
                seg.tcpFlags = Packet.ACK | Packet.PSH;
                seg.payload = 32;
                Trace td = new Trace(keepTrace);
                Walk dw = walk(st, client.name(), seg.copy(), true, true, null, false, td);
                phases.add(new ProbeResult.Phase("data", Message.text(keepTrace ? seg.describe() : ""), td.steps()));
                uncertain.addAll(td.uncertainties());
                followGenerated(st, dw, phases, uncertain, notes, client.name(), keepTrace);
                if (!dw.delivered()) data = Half.lost(dw.lost());
                else if (!dw.host().equals(w.host()))
                    data = Half.lost(new LostAt(dw.host(), "delivery", Message.of(Sentences.DATA_ELSEWHERE, dw.host(), w.host()),
                            Source.NONE));
                else data = answer(st, dw, client.name(), clientAddr, clientPort, probe, true, phases, uncertain, notes, keepTrace).half;
            } else {
                data = Half.lost(null);
            }
        }
        ProbeResult.Verdict verdict = reply.delivered() ? ProbeResult.Verdict.ROUND_TRIP_OK
                : reqDelivered ? ProbeResult.Verdict.REPLY_LOST : ProbeResult.Verdict.REQUEST_LOST;
        return new ProbeResult(probe, verdict, request, reply, data, phases, uncertain, notes);
    }

    private record Exchange(Half half) {}

    /** The receiving socket answers; the answer travels back and must match what the prober's socket expects. */
    private Exchange answer(State st, Walk w, String clientHost, Ip clientAddr, int clientPort, Probe probe, boolean dataPhase,
                            List<ProbeResult.Phase> phases, List<Problem> uncertain, List<Message> notes, boolean keepTrace) {
        Host server = net.host(w.host());
        Sockets.Answer a = Sockets.answer(server, w.packet(), dataPhase);
        String echoKey = roundtrip.model.Sysctls.echoIgnoreAllKey(w.packet().family());
        if (w.packet().isEchoRequest() && server.sysctls().assumed(echoKey)) {
            Problem p = Problem.notCollected(server.sysctls().missing(),
                    Message.of(Sentences.ECHO_IGNORE_ASSUMED, echoKey, server.name()));
            if (!uncertain.contains(p)) uncertain.add(p);
        }
        String phaseName = dataPhase ? "data reply" : "reply";
        if (a == null) {
            if (w.packet().proto == Packet.UDP) {
                Packet err = Sockets.portUnreachable(w.packet());
                Trace te = new Trace(keepTrace);
                if (te.enabled()) te.add(server.name(), new Fact.NoListener(w.packet().dport, err.copy()));
                Walk ew = walk(st, server.name(), err, true, false, null, false, te);
                phases.add(new ProbeResult.Phase("icmp error", Message.text(err.describe()), te.steps()));
                if (ew.delivered() && ew.host().equals(clientHost)) notes.add(Message.of(Sentences.RECEIVES_REFUSED, clientHost, err.describe()));
                return new Exchange(Half.lost(new LostAt(server.name(), "socket",
                        Message.of(Sentences.UDP_NOTHING_LISTENS, w.packet().dport), Source.NONE)));
            }
            Message why = w.packet().isIcmp() ? Message.of(Sentences.ECHO_IGNORED, echoKey) : Message.of(Sentences.NO_ANSWER);
            return new Exchange(Half.lost(new LostAt(server.name(), "socket", why, Source.NONE)));
        }
        Packet ans = a.packet();
        Trace tr = new Trace(keepTrace);
        if (keepTrace) tr.add(server.name(), new Fact.Answers(a.what()));
        Walk rw = walk(st, server.name(), ans.copy(), true, false, null, false, tr,
                ans.dst.isV6() && ans.dst.isLinkLocal() ? w.dev() : null);
        phases.add(new ProbeResult.Phase(phaseName, a.what(), tr.steps()));
        uncertain.addAll(tr.uncertainties());
        followGenerated(st, rw, phases, uncertain, notes, clientHost, keepTrace);
        if (!rw.delivered()) return new Exchange(Half.lost(rw.lost()));
        if (!rw.host().equals(clientHost))
            return new Exchange(Half.lost(new LostAt(rw.host(), "delivery",
                    Message.of(Sentences.ANSWER_DELIVERED_ELSEWHERE, rw.host(), clientHost), Source.NONE)));
        Packet got = rw.packet();
        Message mismatch = mismatch(got, probe, clientAddr, clientPort);
        if (mismatch != null) {
            // the same protocol: the answer's addresses are what does not fit (mismatch says which)
            Fact.Why why = got.proto == probe.wireProto() ? new Fact.MisaddressedAnswer(got.src, got.sport, got.dst, got.dport) : null;
            return new Exchange(Half.lost(new LostAt(clientHost, "socket", mismatch, Source.NONE, why)));
        }
        if (got.proto == Packet.TCP && (got.tcpFlags & Packet.RST) != 0)
            return new Exchange(Half.lost(new LostAt(server.name(), "socket", Message.of(Sentences.CONNECTION_REFUSED, a.what()), Source.NONE)));
        return new Exchange(Half.ok(clientHost));
    }

    /** Does the answer fit the prober's socket? A SYN-ACK or datagram from another address or port does not. */
    /** ADDR:PORT, with an IPv6 address in brackets ([2001:db8::1]:22) as ss and the probe options write it. */
    private static String hostPort(Ip a, int port) { return (a.isV6() ? "[" + a + "]" : String.valueOf(a)) + ":" + port; }

    private static Message mismatch(Packet got, Probe probe, Ip clientAddr, int clientPort) {
        if (got.proto != probe.wireProto()) return Message.of(Sentences.PROBER_RECEIVED, got.describe());
        if (!got.src.equals(probe.dst()) || got.hasPorts() && got.sport != probe.dport()) {
            String expected = got.hasPorts() ? hostPort(probe.dst(), probe.dport()) : probe.dst().toString();
            String from = got.hasPorts() ? hostPort(got.src, got.sport) : got.src.toString();
            return Message.of(Sentences.ANSWER_FROM_ELSEWHERE, from, expected, Message.of(got.proto == Packet.TCP
                    ? Sentences.SYN_ACK_GETS_RST : got.proto == Packet.UDP ? Sentences.UDP_SOCKET_REFUSES : Sentences.PING_IGNORES));
        }
        if (!got.dst.equals(clientAddr) || got.hasPorts() && got.dport != clientPort)
            return Message.of(Sentences.ANSWER_ADDRESSED_ELSEWHERE, got.hasPorts() ? hostPort(got.dst, got.dport) : got.dst.toString(),
                    got.hasPorts() ? hostPort(clientAddr, clientPort) : String.valueOf(clientAddr));
        return null;
    }

    /** ICMP errors and resets generated on the way travel back too; note what the prober gets from them. */
    private void followGenerated(State st, Walk w, List<ProbeResult.Phase> phases, List<Problem> uncertain, List<Message> notes,
                                 String clientHost, boolean keepTrace) {
        for (int i = 0; i < w.generated().size(); i++) {
            HostKernel.Generated g = w.generated().get(i);
            String origin = w.generatedBy().get(i);
            Trace t = new Trace(keepTrace);
            Walk gw = walk(st, origin, g.packet().copy(), true, false, g.parent(), g.parentReply(), t, g.oif());
            phases.add(new ProbeResult.Phase(g.why(), Message.text(keepTrace ? g.packet().describe() : ""), t.steps()));
            uncertain.addAll(t.uncertainties());
            if (gw.delivered() && gw.host().equals(clientHost))
                notes.add(Message.of(Sentences.RECEIVES_FROM, clientHost, gw.packet().describe(), origin, g.why()));
        }
    }

    /** How many tunnels deep a packet is. */
    private static int depth(Packet p) {
        int d = 0;
        for (Packet q = p; q != null; q = q.encapsulated) d++;
        return d;
    }

    /** The hosts of the first cycle in the sequence of hosts a packet entered, e.g. "r1 -> r2 -> r1". */
    private static String loop(List<String> entered) {
        for (int i = 0; i < entered.size(); i++) {
            int again = entered.subList(i + 1, entered.size()).indexOf(entered.get(i));
            if (again >= 0) return String.join(" -> ", entered.subList(i, i + again + 2));
        }
        return String.join(" -> ", entered);
    }

    /**
     * The state the tunnels' keepalives (WireGuard's PersistentKeepalive, OpenVPN's pings) leave before any probe: each is
     * sent from its host through routing,
     * netfilter and every NAT on the way (their conntrack entries stay for the probe), and the peer that receives it
     * learns where the sender is (its endpoint after NAT). A note says what each did.
     */
    private void keepalives(State st, List<Message> notes) {
        for (Tunnel t : tunnels.all()) {
            for (Packet ka : t.keepalives()) {
                Walk kw = walk(st, t.host(), ka, true, false, null, false, new Trace(false));
                String ep = ka.dst.bracketed() + ":" + ka.dport;
                if (kw.delivered() && tunnels.owner(kw.host(), kw.packet()) == null) {
                    notes.add(Message.of(Sentences.KEEPALIVE_NO_SOCKET, t.host(), t.device(), t.keepaliveName(), ep, kw.host(), t.kind(),
                            ka.dport));
                } else if (kw.delivered()) {
                    Packet arrived = kw.packet();
                    notes.add(Message.of(Sentences.KEEPALIVE_LEARNED, t.host(), t.device(), t.keepaliveName(), ep, kw.host(),
                            arrived.src.bracketed() + ":" + arrived.sport));
                } else if (kw.lost() != null) {
                    notes.add(Message.of(Sentences.KEEPALIVE_LOST, t.host(), t.device(), t.keepaliveName(), ep, kw.lost().host(),
                            kw.lost().reason()));
                }
            }
        }
    }


    /** Carries one packet from host to host until a socket takes it or something drops it. */
    private Walk walk(State st, String startHost, Packet p, boolean local, boolean connect, Connection parent,
                      boolean parentReply, Trace trace) {
        return walk(st, startHost, p, local, connect, parent, parentReply, trace, null);
    }

    /**
     * The same, with the first (local) send bound to {@code oif}: an answer to an IPv6 link-local address leaves by the
     * device the request came in on (icmpv6_echo_reply and tcp_v6_init_req take the incoming device for a link-local
     * peer, a UDP socket's recvfrom gives it as the scope id), and the route lookup keeps to it (rt6_need_strict).
     */
    private Walk walk(State st, String startHost, Packet p, boolean local, boolean connect, Connection parent,
                      boolean parentReply, Trace trace, String oif) {
        String host = startHost;
        String dev = null;
        /** the host and device the link layer delivered the packet to (null: look them up by host and dev) */
        Receiver arrived = null;
        /** the bridge port of dev the packet came in by (null: dev is no bridge, or the packet came from a tunnel) */
        String inPort = null;
        List<String> entered = new ArrayList<>();
        List<HostKernel.Generated> generated = new ArrayList<>();
        List<String> generatedBy = new ArrayList<>();
        Packet packet = p;
        // what each hop's kernel generated, moved to `generated` right after the hop: one list for the walk
        List<HostKernel.Generated> side = new ArrayList<>();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Entry e = arrived != null ? arrived.entry() : entries.get(host);
            HostKernel k = e.kernel();
            side.clear();
            Outcome o;
            if (local) {
                o = k.send(st.of(e), packet, oif, connect, trace, parent, parentReply, side);
                local = false;
            } else {
                // a tunnel's outer packet does not count: tcpdump on that host sees only encrypted UDP
                if (packet.encapsulated == null) entered.add(host);
                o = k.receive(st.of(e), arrived != null ? arrived.device() : k.device(dev), inPort, packet, trace, side);
                arrived = null;
            }
            for (int i = 0, n = side.size(); i < n; i++) { generated.add(side.get(i)); generatedBy.add(host); }
            switch (o.kind()) {
                case DELIVER -> {
                    Tunnel owner = o.packet().encapsulated != null && e.tunnels() ? tunnels.owner(host, o.packet()) : null;
                    if (owner == null) return new Walk(true, host, o.iface(), o.packet(), o.ct(), null, entered, generated, generatedBy);
                    TunnelResult r = owner.receive(o.packet(), st.tunnels);
                    if (r.uncertain() != null) trace.uncertain(host, r.uncertain());
                    if (r.dropped()) {
                        if (trace.enabled()) trace.add(host, new Fact.Drop(Fact.Stage.ofDaemon(owner.kind()), r.drop(), r.why()), r.source());
                        return new Walk(false, host, null, o.packet().encapsulated, null,
                                new LostAt(host, owner.kind(), r.drop(), r.source(), r.why()), entered, generated, generatedBy);
                    }
                    if (r.consumedByDaemon()) {
                        if (trace.enabled()) trace.add(host, new Fact.Tunnel(Fact.TunnelOp.CONSUME, owner.kind(), owner.device(), r.note()));
                        return new Walk(true, host, o.iface(), o.packet(), o.ct(), null, entered, generated, generatedBy);
                    }
                    if (r.inject() != null) {
                        if (trace.enabled()) trace.add(host, new Fact.Tunnel(Fact.TunnelOp.DECRYPT, owner.kind(), owner.device(), r.note()));
                        packet = r.inject();
                        dev = r.device();
                        inPort = null;
                    } else {
                        if (trace.enabled()) trace.add(host, new Fact.Tunnel(Fact.TunnelOp.RELAY, owner.kind(), owner.device(), r.note()));
                        packet = r.outer();
                        packet.viaTunnel = host + ":" + owner.device();
                        local = true;
                        connect = false;
                        parent = null;
                    }
                }
                case DROP -> {
                    Message reason = o.reason();
                    if (o.packet().encapsulated != null)
                        reason = Message.of(Sentences.TUNNEL_PACKET_LOST, o.packet().describe(), reason);
                    if ("ttl".equals(o.stage()) && entered.size() > new java.util.HashSet<>(entered).size())
                        reason = Message.of(Sentences.ROUTING_LOOP, loop(entered), host);
                    return new Walk(false, host, null, o.packet(), null, new LostAt(host, o.stage(), reason, o.source(), o.why()),
                            entered, generated, generatedBy);
                }
                case TRANSMIT -> {
                    Tunnel tun = e.tunnels() ? tunnels.onDevice(host, o.iface()) : null;
                    if (tun != null) {
                        String id = host + ":" + tun.device();
                        if (id.equals(o.packet().viaTunnel) || depth(o.packet()) > 4) {
                            String why = tun.kind().equals("wireguard")
                                    ? tun.device() + ": Avoiding routing loop to " + o.packet().dst.bracketed() + ":" + o.packet().dport
                                    : "Recursive routing detected, drop tun packet to " + OpenVpnTunnel.sockaddr(o.packet().dst) + ":" + o.packet().dport;
                            Fact.TunnelLoop loop = new Fact.TunnelLoop(tun.kind().equals("wireguard") ? tun.device() : null,
                                    o.packet().dst, o.packet().dport);
                            if (trace.enabled()) trace.add(host, new Fact.Drop(Fact.Stage.ofDaemon(tun.kind()),
                                    Message.of(Sentences.TUNNEL_INTO_ITSELF_STEP, why), loop));
                            return new Walk(false, host, null, o.packet(), null, new LostAt(host, tun.kind(),
                                    Message.of(Sentences.TUNNEL_INTO_ITSELF, why), Source.NONE, loop), entered, generated, generatedBy);
                        }
                        TunnelResult r = tun.send(o.packet(), st.tunnels);
                        if (r.uncertain() != null) trace.uncertain(host, r.uncertain());
                        if (r.dropped()) {
                            if (trace.enabled()) trace.add(host, new Fact.Drop(Fact.Stage.ofDaemon(tun.kind()), r.drop(), r.why()), r.source());
                            return new Walk(false, host, null, o.packet(), null, new LostAt(host, tun.kind(), r.drop(), r.source(), r.why()),
                                    entered, generated, generatedBy);
                        }
                        if (trace.enabled()) trace.add(host, new Fact.Tunnel(Fact.TunnelOp.ENCRYPT, tun.kind(), tun.device(), r.note()));
                        packet = r.outer();
                        packet.viaTunnel = id;
                        local = true;
                        connect = false;   // the daemon's own datagram, not the prober's socket
                        parent = null;
                        continue;
                    }
                    L2.Delivery<Receiver> d = l2.resolve(host, o.iface(), o.nextHop(), o.packet().src);
                    for (Problem assumed : d.assumed()) trace.uncertain(host, assumed);
                    if (d.to() == null) {
                        Fact.Why why = d.ndBlock() != null ? d.ndBlock().why()
                                : d.unanswered() != null ? new Fact.NoNeighbour(d.unanswered(), o.iface()) : null;
                        Fact.Stage stage = o.nextHop() != null && o.nextHop().isV6() ? Fact.Stage.NDP : Fact.Stage.ARP;
                        Source src = d.ndBlock() != null ? d.ndBlock().source() : Source.NONE;
                        if (trace.enabled()) trace.add(host, new Fact.Drop(stage, d.error(), why), src);
                        return new Walk(false, host, null, o.packet(), null,
                                new LostAt(host, stage.word(), d.error(), src, why), entered, generated, generatedBy);
                    }
                    // The caller's packet is copied when it first leaves a host, so that the caller keeps it as that
                    // host made it (the keepalives' notes name where they were sent); the copy is the walk's own, and
                    // goes on from host to host as it is (traces and ICMP errors keep copies): a copy per hop was a
                    // tenth of what a matrix allocated (issue 13)
                    Packet onWire = o.packet() == p ? o.packet().copy() : o.packet();
                    for (int bi = 0; bi < d.bridgesCrossed().size(); bi++) {
                        L2.Node br = d.bridgesCrossed().get(bi);
                        String[] ports = d.crossedPorts().get(bi);
                        Host bh = net.host(br.host());
                        String nfKey = roundtrip.model.Sysctls.bridgeNfCallKey(onWire.family());
                        if (bh.sysctls().assumed(nfKey) && bh.firewall().chains(Hook.FORWARD).stream().anyMatch(c -> c.sees(onWire.family())))
                            trace.uncertain(br.host(), Problem.notCollected(bh.sysctls().missing(),
                                    Message.of(Sentences.BRIDGE_NF_ASSUMED, nfKey, br.dev(), br.host(),
                                            onWire.family() == Ip.Family.IPV6 ? "ip6tables" : "iptables")));
                        if (!bh.sysctls().bridgeNfCall(onWire.family())) continue;
                        entered.add(br.host());
                        Outcome bo = kernels.get(br.host()).bridge(st.of(br.host()), br.dev(), ports[0], ports[1], onWire, trace);
                        if (bo.kind() == Outcome.Kind.DROP)
                            return new Walk(false, br.host(), null, onWire, null,
                                    new LostAt(br.host(), bo.stage(), Message.of(Sentences.BRIDGED_TRAFFIC, bo.reason(), nfKey.substring("net.bridge.".length())), bo.source(), bo.why()),
                                    entered, generated, generatedBy);
                    }
                    host = d.to().host();
                    dev = d.to().dev();
                    arrived = d.receiver();
                    inPort = d.toPort();
                    packet = onWire;
                }
            }
        }
        if (trace.enabled()) trace.add(host, new Fact.Drop(Fact.Stage.LOOP, Message.of(Sentences.TOO_MANY_HOPS, MAX_HOPS), null));
        return new Walk(false, host, null, packet, null, new LostAt(host, "loop", Message.of(Sentences.TOO_MANY_HOPS, MAX_HOPS), Source.NONE),
                entered, generated, generatedBy);
    }
}
