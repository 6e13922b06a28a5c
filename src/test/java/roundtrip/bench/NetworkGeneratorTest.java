package roundtrip.bench;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkGeneratorTest {
    private static final NetworkGenerator.Config SMALL = new NetworkGenerator.Config(60, 2_000, 300, 200, 7);

    @Test void sameSeedSameNetworkAndProbes() {
        NetworkGenerator.Generated a = NetworkGenerator.generate(SMALL, null);
        NetworkGenerator.Generated b = NetworkGenerator.generate(SMALL, null);
        assertThat(b.probes()).isEqualTo(a.probes());
        assertThat(b.rules()).isEqualTo(a.rules());
        assertThat(b.network().hosts().keySet()).containsExactlyElementsOf(a.network().hosts().keySet());
        for (Host h : a.network().hosts().values()) {
            Host o = b.network().host(h.name());
            assertThat(o.routes()).isEqualTo(h.routes());
            assertThat(o.rules()).isEqualTo(h.rules());
            assertThat(o.interfaces()).isEqualTo(h.interfaces());
        }
        NetworkGenerator.Generated c = NetworkGenerator.generate(
                new NetworkGenerator.Config(60, 2_000, 300, 200, 8), null);
        assertThat(c.probes()).isNotEqualTo(a.probes());
    }

    @Test void countsRoughlyAsAsked() {
        NetworkGenerator.Generated g = NetworkGenerator.generate(NetworkGenerator.Config.defaults(), null);
        assertThat(g.network().hosts()).hasSize(200);
        assertThat(g.hosts()).isEqualTo(200);
        assertThat(g.rules()).isBetween(9_000, 11_000);
        assertThat(g.routes()).isBetween(900, 1_200);
        assertThat(g.probes()).hasSize(1_000);
        assertThat(g.policyRules()).isPositive();
        // every address has its kernel local route, so the FIB recognises the host's own addresses
        for (Host h : g.network().hosts().values()) {
            List<Route> local = h.routes().stream().filter(r -> r.table() == Route.TABLE_LOCAL && r.type() == RouteType.LOCAL).toList();
            h.interfaces().values().forEach(i -> i.addresses().forEach(a ->
                    assertThat(local).anyMatch(r -> r.dst().len() == 32 && r.dst().addr() == a.local())));
        }
        long counted = g.network().hosts().values().stream().flatMap(h -> h.routes().stream())
                .filter(r -> r.table() != Route.TABLE_LOCAL).count();
        assertThat(counted).isEqualTo(g.routes());
    }

    @Test void probesTravelSeveralHopsAndBothOutcomesOccur() {
        NetworkGenerator.Generated g = NetworkGenerator.generate(SMALL, null);
        Simulator sim = new Simulator(g.network());
        Map<ProbeResult.Verdict, Integer> verdicts = new EnumMap<>(ProbeResult.Verdict.class);
        int multiHop = 0;
        for (Probe p : g.probes()) {
            ProbeResult r = sim.run(p, true);
            verdicts.merge(r.verdict(), 1, Integer::sum);
            assertThat(r.uncertain()).isEmpty();
            long entered = r.phases().get(0).steps().stream()
                    .filter(s -> s.kind() == roundtrip.kernel.Trace.Kind.IN).map(s -> s.host()).distinct().count();
            if (entered >= 3) multiHop++;
        }
        int n = g.probes().size();
        assertThat(multiHop).as("probes whose request crosses at least 3 hosts").isGreaterThan(n / 2);
        assertThat(verdicts.getOrDefault(ProbeResult.Verdict.ROUND_TRIP_OK, 0)).isBetween(n / 5, n * 4 / 5);
        assertThat(verdicts.getOrDefault(ProbeResult.Verdict.REQUEST_LOST, 0)).isGreaterThan(n / 20);
        assertThat(verdicts.getOrDefault(ProbeResult.Verdict.REPLY_LOST, 0)).isGreaterThan(n / 50);
    }
}
