package roundtrip.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.sim.Matrix;
import roundtrip.sim.PortClasses;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `matrix --all-ports` against the real kernel (root only): the network of matrix/all-ports.yaml rebuilt in namespaces
 * ({@link NetworkScenario}), and from the client to the server, for every port class the matrix found, its first port
 * and another port of the class probed for real: each gets the verdict the matrix gave the class.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its lab has its own namespaces
class MatrixAllPortsLabTest {
    @Test
    void everyClassHasTheKernelsVerdictAtItsFirstPortAndAtAnother() throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "lab skipped: " + reason);
        Network net = NetworkFileReader.read(Path.of("src/test/resources/matrix/all-ports.yaml")).network();
        List<Matrix.Outcome> outcomes = new ArrayList<>();
        new Matrix(net, null, null, PortClasses.of(net)).run(1, false, o -> null, (o, x) -> {
            if (o.pair().from().equals("client") && o.pair().target().host().equals("server")) outcomes.add(o);
        });
        Random random = new Random(7);
        List<Probe> probes = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Matrix.Outcome o : outcomes) {
            Matrix.Service s = o.pair().target().service();
            List<Integer> ports = new ArrayList<>(List.of(s.port()));
            if (s.high() > s.port()) ports.add(s.port() + 1 + random.nextInt(s.high() - s.port()));
            for (int port : ports) {
                String id = Packet.protoName(s.proto()) + "-" + (s.proto() == Packet.ICMP ? "echo" : port);
                probes.add(new Probe(id, "client", null, o.pair().target().address(), s.proto(), s.proto() == Packet.ICMP ? 0 : port, null, null));
                expected.put(id, o.now().verdict().name());
            }
        }
        assertThat(probes).hasSizeGreaterThan(15);
        NetworkScenario.Result built = NetworkScenario.of(net, probes, new Simulator(net), "matrix --all-ports");
        try (Lab lab = Lab.build(built.scenario(), Path.of("target/matrix-all-ports-lab"))) {
            Map<String, String> real = new LinkedHashMap<>();
            for (ProbeResult r : lab.runProbes()) real.put(r.id(), r.verdict());
            assertThat(real).as("real kernel vs the matrix's class verdicts").isEqualTo(expected);
        }
    }
}
