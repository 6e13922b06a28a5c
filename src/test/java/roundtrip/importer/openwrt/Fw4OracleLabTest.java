package roundtrip.importer.openwrt;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import roundtrip.lab.Lab;
import roundtrip.lab.NetworkScenario;
import roundtrip.lab.Scenario;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.model.Segment;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The third side of the fw4 oracle, on the real kernel (root only): for each configuration of src/test/resources/fw4,
 * the router with fw4's own ruleset (fw4.json, loaded with nft -j -f) and a host on each of its subnets are built in
 * network namespaces, and a representative subset of the probes Fw4OracleTest simulates is run for real; each must end
 * as the simulation says (the simulation of our translation gives the same, Fw4OracleTest checks that). Our
 * translation's own ruleset must load into the kernel too (what `lab verify` feeds it for an OpenWrt router).
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class Fw4OracleLabTest {
    /** probes run for real per configuration: the first of each kind of outcome, port forwards and reflection first */
    static final int PER_FIXTURE = Integer.getInteger("roundtrip.fw4.labProbes", 16);

    @TestFactory
    @Execution(ExecutionMode.SAME_THREAD)   // its labs run side by side in LabPool; the tests wait in order
    Stream<DynamicTest> fw4sRulesetOnTheRealKernelGivesTheSimulatedVerdicts() {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "lab skipped: " + reason);
        String only = System.getProperty("roundtrip.scenario", "");
        return Fw4Fixture.all().stream().filter(f -> ("fw4-" + f.name).startsWith(only) || f.name.startsWith(only))
                // all labs start now, side by side (LabPool); each test waits for its own
                .map(f -> DynamicTest.dynamicTest(f.name, roundtrip.lab.LabPool.started(() -> System.out.print(check(f)))))
                .toList().stream();
    }

    /** Builds, probes and compares one configuration; what it found, for the test's output. */
    private static String check(Fw4Fixture f) throws IOException {
        Network net = forLab(f.network(true));
        Simulator sim = new Simulator(net);
        List<Probe> subset = subset(f, net, sim);
        Map<String, String> simulated = new LinkedHashMap<>();
        for (Probe p : subset) simulated.put(p.id(), sim.run(p, false).verdict().name());
        NetworkScenario.Result built = NetworkScenario.of(net, subset, sim, "fw4 oracle " + f.name);
        // our translation must load as well (lab verify feeds it to nft -j -f): a namespace with just that ruleset
        Scenario ours = new Scenario();
        ours.name = "fw4-ours";
        Scenario.HostSpec router = new Scenario.HostSpec();
        router.nftJson = ((NftRuleset) f.routerOurs.firewall()).restoreJson();
        ours.hosts.put("router", router);
        Path logs = Path.of("target/fw4-oracle", f.name);
        try (Lab lab = Lab.build(ours, logs.resolve("ours"))) {
            assertThat(lab).isNotNull();   // Lab.build fails when nft refuses the ruleset
        }
        Map<String, String> real = new LinkedHashMap<>();
        try (Lab lab = Lab.build(built.scenario(), logs)) {
            for (roundtrip.lab.ProbeResult r : lab.runProbes()) real.put(r.id(), r.verdict());
        }
        long agree = simulated.entrySet().stream().filter(e -> e.getValue().equals(real.get(e.getKey()))).count();
        StringBuilder out = new StringBuilder(String.format("fw4 oracle on the kernel %-10s %3d probes: %3d as simulated%n",
                f.name, simulated.size(), agree));
        for (var e : simulated.entrySet())
            if (!e.getValue().equals(real.get(e.getKey())))
                out.append("  ").append(e.getKey()).append(": simulated ").append(e.getValue()).append(", real ").append(real.get(e.getKey())).append('\n');
        assertThat(real).as(out + f.name + ": the real kernel with fw4's ruleset vs the simulation").isEqualTo(simulated);
        return out.toString();
    }

    /**
     * The probes to run for real: certain ones, the first of each (source host, destination owner, protocol, outcome)
     * so that every zone pair, the router and every kind of ending is there, port forwards and reflections first.
     */
    static List<Probe> subset(Fw4Fixture f, Network net, Simulator sim) {
        List<Probe> forwarded = new ArrayList<>(), rest = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (Probe p : f.probes) {
            ProbeResult r = sim.run(p, false);
            if (!r.certain()) continue;
            String owner = ownerOf(net, p.dst());
            String kind = p.from() + "|" + owner + "|" + p.protoName() + "|" + Fw4Fixture.outcome(r);
            if (!kinds.add(kind)) continue;
            boolean dnat = r.request().delivered() && !r.request().deliveredTo().equals(owner);
            (dnat ? forwarded : rest).add(p);
        }
        List<Probe> out = new ArrayList<>(forwarded.subList(0, Math.min(forwarded.size(), PER_FIXTURE / 2)));
        // the rest spread over the list, so every source host has its turn
        int want = PER_FIXTURE - out.size();
        for (int i = 0; i < want && !rest.isEmpty(); i++) out.add(rest.get((int) ((long) i * rest.size() / want)));
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static String ownerOf(Network net, Ip addr) {
        for (Host h : net.hosts().values()) if (h.ownsAddress(addr)) return h.name();
        return "?" + addr;
    }

    /** The network without the router's bridge ports that no host is on: nothing is sent there. */
    private static Network forLab(Network net) {
        Set<String> attached = new LinkedHashSet<>();
        for (Segment s : net.segments()) for (Segment.Attachment a : s.members()) attached.add(a.host() + ":" + a.iface());
        List<Host> hosts = new ArrayList<>();
        for (Host h : net.hosts().values()) {
            List<Interface> keep = new ArrayList<>();
            for (Interface i : h.interfaces().values())
                if (i.isLoopback() || i.isBridge() || !i.addresses().isEmpty() || attached.contains(h.name() + ":" + i.name())) keep.add(i);
            hosts.add(keep.size() == h.interfaces().size() ? h : new Host(h.name(), keep, h.routes(), h.rules(), h.firewall(), h.sysctls(),
                    h.listeners(), h.problems(), h.tunnels(), h.firewallConfig()));
        }
        return new Network(hosts, net.segments());
    }
}
