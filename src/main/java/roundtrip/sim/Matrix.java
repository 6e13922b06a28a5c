package roundtrip.sim;

import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.netfilter.PortCuts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every host to every other host: for each address a host owns (not loopback, not link-local) an echo request and
 * each service that listens there (from ss-listen, or the ports given for every address). The pairs are
 * simulated on several threads in tiles (a block of sources and a run of targets) and handed back in a fixed order
 * (sources in network order, then the targets' addresses and services), with only a bounded window of tiles in
 * flight: nothing is kept once it has been handed over, so memory does not grow with the number of pairs.
 *
 * <p>With a baseline network the pairs of both are compared: each pair is simulated in every network that has
 * its source host.
 */
public final class Matrix {
    /**
     * A service to probe: ICMP echo (port 0), or tcp/udp and a port; with --all-ports a class of ports
     * [port, high] that every rule treats alike ({@link PortClasses}), probed at {@code port}.
     */
    public record Service(int proto, int port, int high) {
        public static final Service ECHO = new Service(Packet.ICMP, 0);

        public Service(int proto, int port) { this(proto, port, port); }

        public boolean isClass() { return high != port; }

        @Override public String toString() {
            return proto == Packet.ICMP ? "icmp" : Packet.protoName(proto) + "/" + port + (isClass() ? "-" + high : "");
        }
    }

    /** An address of a host and a service on it. */
    public record Target(String host, Ip address, Service service) {
        /** HOST:ADDRESS:SERVICE, the part of a pair's id that names the target */
        public String label() { return host + ":" + address + ":" + service; }
    }

    /** One source host and one target: the probe the matrix sends for it (no source address: the kernel picks one). */
    public record Pair(String from, Target target) {
        public String id() { return id(from, target.label()); }

        static String id(String from, String targetLabel) { return from + "->" + targetLabel; }

        /** No {@code target} host in the probe: a DNAT may hand the service to another host, which is still an answer. */
        public Probe probe() { return probe(id()); }

        /** The probe, with its id already made (the matrix makes a target's label once for all its sources). */
        Probe probe(String id) {
            Service s = target.service();
            return new Probe(id, from, null, target.address(), s.proto(), s.port(), null, null);
        }
    }

    /**
     * A simulated pair: {@code now} in the network, {@code before} in the baseline; null where that network has no
     * such source host ({@code before} is always null without a baseline).
     */
    public record Outcome(Pair pair, ProbeResult now, ProbeResult before) {}

    private final Network net;
    private final Network baseline;
    private final Simulator sim;
    private final Simulator baselineSim;
    private final List<String> sources;
    private final List<Target> targets;
    /** each target's label, made once: formatting the address for every pair was 2% of a matrix run (issue 13) */
    private final String[] labels;
    private final PortClasses classes;

    /**
     * @param ports the services probed on every address besides ICMP echo; null: each host's listening sockets
     *              (none when the host's listeners are unknown)
     * @param baseline the network to compare with, or null
     */
    public Matrix(Network net, List<Service> ports, Network baseline) { this(net, ports, baseline, null); }

    /**
     * @param classes with --all-ports: every tcp and udp port of every address, in the classes of the hosts each pair's
     *                packets enter (then {@code ports} is ignored); null otherwise
     */
    public Matrix(Network net, List<Service> ports, Network baseline, PortClasses classes) {
        if (classes != null) ports = List.of(WHOLE_TCP, WHOLE_UDP);
        this.classes = classes;
        this.net = net;
        this.baseline = baseline;
        this.sim = new Simulator(net);
        this.baselineSim = baseline == null ? null : new Simulator(baseline);
        Set<String> src = new LinkedHashSet<>(net.hosts().keySet());
        Set<Target> tgt = new LinkedHashSet<>(targets(net, ports));
        if (baseline != null) {
            src.addAll(baseline.hosts().keySet());
            tgt.addAll(targets(baseline, ports));
        }
        this.sources = List.copyOf(src);
        this.targets = List.copyOf(tgt);
        this.labels = new String[targets.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = targets.get(i).label();
    }

    /** With --all-ports, what a target holds before its pairs are split into port classes. */
    static final Service WHOLE_TCP = new Service(Packet.TCP, 1, PortCuts.MAX), WHOLE_UDP = new Service(Packet.UDP, 1, PortCuts.MAX);

    /**
     * Every port of one protocol from {@code source} to one address, one probe per class: the classes of the hosts the
     * packets enter, found by simulating until no class enters a host whose rules were not used (then ports of a class
     * are treated alike by every host they meet, so they take the same path to the same end). Classes in port order.
     */
    private List<Outcome> everyPort(String source, Target whole, boolean inNow, boolean inBefore, boolean keepTrace) {
        java.util.Set<String> hosts = new java.util.HashSet<>(List.of(source, whole.host()));
        while (true) {
            java.util.Set<String> entered = new java.util.HashSet<>(hosts);
            List<Outcome> out = new ArrayList<>();
            for (PortCuts.PortClass c : classes.of(hosts).classes(whole.service().proto())) {
                Pair pair = new Pair(source, new Target(whole.host(), whole.address(), new Service(c.proto(), c.low(), c.high())));
                Probe probe = pair.probe();
                out.add(new Outcome(pair, inNow ? sim.run(probe, keepTrace, entered) : null,
                        inBefore ? baselineSim.run(probe, keepTrace, entered) : null));
            }
            if (entered.equals(hosts)) return out;
            hosts = entered;
        }
    }

    public Simulator simulator() { return sim; }
    public Simulator baselineSimulator() { return baselineSim; }

    /** Every address and service probed, in network order. */
    public static List<Target> targets(Network net, List<Service> ports) {
        List<Target> out = new ArrayList<>();
        for (Host h : net.hosts().values()) {
            for (Interface i : h.interfaces().values()) {
                if (i.isLoopback()) continue;
                for (Address a : i.addresses()) {
                    Ip ip = a.local();
                    // 169.254.0.0/16 and fe80::/10 are only meaningful on their own link
                    if (ip.isLoopback() || ip.isLinkLocal()) continue;
                    for (Service s : services(h, ip, ports)) out.add(new Target(h.name(), ip, s));
                }
            }
        }
        return out;
    }

    private static Set<Service> services(Host h, Ip ip, List<Service> ports) {
        Set<Service> out = new LinkedHashSet<>();
        out.add(Service.ECHO);
        if (ports != null) {
            out.addAll(ports);
        } else if (h.listeners() != null) {
            for (Listener l : h.listeners())
                if (l.address() == null ? l.family() == null || l.family() == ip.family() : l.address().equals(ip))
                    out.add(new Service(l.proto(), l.port()));
        }
        return out;
    }

    /** Pairs in total: every source with every target of another host (with --all-ports, a protocol of an address is one). */
    public long pairCount() {
        Map<String, Integer> perHost = new LinkedHashMap<>();
        for (Target t : targets) perHost.merge(t.host(), 1, Integer::sum);
        long n = 0;
        for (String s : sources) n += targets.size() - perHost.getOrDefault(s, 0);
        return n;
    }

    public int hostCount() { return sources.size(); }

    /**
     * Simulates every pair on {@code threads} threads. {@code render} runs on the worker threads (turn an outcome
     * into what is written, so that this work is parallel too); {@code consume} runs on the calling thread, once
     * per pair, in pair order. Traces are kept only with {@code keepTrace}.
     *
     * <p>The pairs are simulated in tiles, not in the order they are handed over: a block of sources against a run of
     * targets, each target's pairs one after another. A pair's packets read the rules and routes of every host they
     * cross, tens of megabytes over a large network; pairs to one target from neighbouring sources cross mostly the
     * same hosts, whose data is then still in the processor's cache (on the bench's 1,000-host network a round trip
     * costs about three times as much when every one crosses hosts the previous ones did not).
     */
    public <R> void run(int threads, boolean keepTrace, Function<Outcome, R> render, BiConsumer<Outcome, R> consume)
            throws InterruptedException {
        run(threads, keepTrace, true, render, consume);
    }

    /**
     * As {@link #run(int, boolean, Function, BiConsumer)}; without {@code keepOutcomes} the outcomes are let go once
     * rendered, and {@code consume} gets null for each with what was rendered of it. The pairs held for the hand-over
     * in order (some 40,000 on a 1,000-host network) are then a few small objects each, not their simulation results,
     * which every young collection copied (issue 13).
     */
    public <R> void run(int threads, boolean keepTrace, boolean keepOutcomes, Function<Outcome, R> render,
                        BiConsumer<Outcome, R> consume) throws InterruptedException {
        ExecutorService pool = Workers.pool(threads, "matrix");
        try {
            int block = blockSize(targets.size());
            int span = Math.max(1, TILE / block);
            int window = Math.max(2, threads * 4);
            ArrayDeque<Future<List<Done<R>>[]>> inFlight = new ArrayDeque<>();
            // the tiles of the block being handed over, in target order
            List<List<Done<R>>[]> tiles = new ArrayList<>();
            int source = 0, from = 0;
            while (true) {
                while (inFlight.size() < window && source < sources.size()) {
                    int s0 = source, s1 = Math.min(sources.size(), source + block);
                    int start = from, end = Math.min(targets.size(), from + span);
                    inFlight.add(pool.submit(() -> simulate(s0, s1, start, end, keepTrace, keepOutcomes, render)));
                    from = end;
                    if (from >= targets.size()) { source = s1; from = 0; }
                }
                Future<List<Done<R>>[]> next = inFlight.poll();
                if (next == null) break;
                tiles.add(Workers.get(next));
                if (tiles.size() * span >= targets.size()) {
                    // the block's every tile is in: hand its pairs over source by source
                    int size = tiles.get(0).length;
                    for (int s = 0; s < size; s++)
                        for (List<Done<R>>[] t : tiles)
                            for (Done<R> d : t[s]) consume.accept(d.outcome(), d.rendered());
                    tiles.clear();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Pairs one task simulates, about: enough to amortise the hand-over and to reuse what the tile's hosts cached. */
    static final int TILE = 1024;
    /** Most sources in a block: their pairs to a target are simulated one after another. */
    static final int BLOCK = 16;
    /** Most pairs of one block: the calling thread holds a whole block before it hands it over. */
    static final int BLOCK_PAIRS = 1 << 15;

    /** Sources per block for so many targets. */
    static int blockSize(int targets) { return Math.max(1, Math.min(BLOCK, BLOCK_PAIRS / Math.max(1, targets))); }

    /** The most pairs simulated and not yet handed over at any time: the tasks in the window, and a block. */
    static long heldAtMost(int threads, int targets) {
        int block = blockSize(targets);
        long perTask = (long) block * Math.max(1, TILE / block);
        return Math.max(2, threads * 4) * perTask + (long) block * targets;
    }

    private record Done<R>(Outcome outcome, R rendered) {}

    /** The pairs of sources [s0, s1) to targets [start, end), target by target; per source, in target order. */
    private <R> List<Done<R>>[] simulate(int s0, int s1, int start, int end, boolean keepTrace, boolean keepOutcomes,
                                         Function<Outcome, R> render) {
        @SuppressWarnings("unchecked")
        List<Done<R>>[] out = new List[s1 - s0];
        for (int s = s0; s < s1; s++) out[s - s0] = new ArrayList<>(end - start);
        Simulator.Reusing now = sim.reusing(), before = baselineSim == null ? null : baselineSim.reusing();
        for (int i = start; i < end; i++) {
            for (int s = s0; s < s1; s++) simulate(now, before, sources.get(s), i, keepTrace, keepOutcomes, render, out[s - s0]);
        }
        return out;
    }

    /** The pair (or with --all-ports, the pairs of each port class) from {@code source} to {@code t}, when asked. */
    private <R> void simulate(Simulator.Reusing now, Simulator.Reusing before, String source, int target, boolean keepTrace,
                              boolean keepOutcomes, Function<Outcome, R> render, List<Done<R>> out) {
        Target t = targets.get(target);
        if (t.host().equals(source)) return;
        boolean inNow = net.host(source) != null;
        boolean inBefore = baseline != null && baseline.host(source) != null;
        // an IPv6 target is asked only of a host with an IPv6 address of its own (an IPv4-only host is not expected to reach it)
        if (t.address().isV6() && !(inNow && speaks(net, source, Ip.Family.IPV6))
                && !(inBefore && speaks(baseline, source, Ip.Family.IPV6))) return;
        if (classes != null && t.service().proto() != Packet.ICMP) {
            for (Outcome o : everyPort(source, t, inNow, inBefore, keepTrace)) out.add(new Done<>(keepOutcomes ? o : null, render.apply(o)));
            return;
        }
        Pair pair = new Pair(source, t);
        Probe probe = pair.probe(Pair.id(source, labels[target]));
        Outcome o = new Outcome(pair, inNow ? now.run(probe, keepTrace) : null, inBefore ? before.run(probe, keepTrace) : null);
        out.add(new Done<>(keepOutcomes ? o : null, render.apply(o)));
    }

    /** Whether the host has an address of the family that is neither loopback nor link-local. */
    static boolean speaks(Network n, String host, Ip.Family family) {
        Host h = n.host(host);
        if (h == null) return false;
        for (Interface i : h.interfaces().values())
            for (Address a : i.addresses(family)) if (!a.local().isLoopback() && !a.local().isLinkLocal()) return true;
        return false;
    }
}
