package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `matrix --all-ports` (issue 13 item 4): one port per class answers for the whole class. Checked by brute force: for
 * every pair and class, ports across the class (its ends, its middle and random ones) get the representative's verdict,
 * where they are told apart by rules of iptables and nft, a DNAT of one port, and listeners.
 */
class MatrixAllPortsTest {
    static final Path FILE = Path.of("src/test/resources/matrix/all-ports.yaml");

    private static Network net() { return NetworkFileReader.read(FILE).network(); }

    /** Every class the matrix probed, for each pair: ports across it get the verdict of its first port. */
    @Test void everyPortOfAClassGetsTheVerdictOfItsFirst() throws InterruptedException {
        Network net = net();
        assertThat(PortClasses.of(net).all().exact()).isTrue();
        Simulator sim = new Simulator(net);
        Random random = new Random(13);
        List<Matrix.Outcome> outcomes = new ArrayList<>();
        new Matrix(net, null, null, PortClasses.of(net)).run(2, false, o -> null, (o, x) -> outcomes.add(o));
        int checked = 0;
        for (Matrix.Outcome o : outcomes) {
            Matrix.Service s = o.pair().target().service();
            if (s.proto() == Packet.ICMP) continue;
            String expected = o.now().verdict().name();
            List<Integer> ports = new ArrayList<>(List.of(s.high(), (s.port() + s.high()) / 2));
            for (int i = 0; i < 3; i++) ports.add(s.port() + random.nextInt(s.high() - s.port() + 1));
            for (int port : ports) {
                Probe p = new Probe("p", o.pair().from(), null, o.pair().target().address(), s.proto(), port, null, null);
                assertThat(sim.run(p, false).verdict().name()).as(o.pair().id() + " at port " + port).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    /** A pair's classes come from the hosts its packets enter: the client's ports to the router are not cut by the server's rules. */
    @Test void aPairIsCutOnlyByTheHostsItsPacketsEnter() throws InterruptedException {
        Network net = net();
        List<Matrix.Outcome> outcomes = new ArrayList<>();
        new Matrix(net, null, null, PortClasses.of(net)).run(1, false, o -> null, (o, x) -> outcomes.add(o));
        List<String> toRouterLan = outcomes.stream().filter(o -> o.pair().from().equals("client")
                && o.pair().target().address().toString().equals("192.168.1.1") && o.pair().target().service().proto() == Packet.UDP)
                .map(o -> o.pair().target().service().toString()).toList();
        // client and router only: the router's udp/53 accept cuts, the server's 60000-61000 reject does not
        assertThat(toRouterLan).containsExactly("udp/1-52", "udp/53", "udp/54-65535");
        List<String> toServer = outcomes.stream().filter(o -> o.pair().from().equals("client")
                && o.pair().target().host().equals("server") && o.pair().target().service().proto() == Packet.UDP)
                .map(o -> o.pair().target().service().toString()).toList();
        assertThat(toServer).contains("udp/60000-61000");
    }

    @Test void theReachOfOneAddressIsItsOpenPortsAndItsLostRanges() throws InterruptedException {
        Network net = net();
        Matrix m = new Matrix(net, null, null, PortClasses.of(net));
        PortReach reach = new PortReach();
        List<PortReach.Reach> all = new ArrayList<>();
        m.run(1, false, o -> null, (o, x) -> {
            PortReach.Reach done = reach.add(o);
            if (done != null) all.add(done);
        });
        all.add(reach.finish());
        PortReach.Reach server = all.stream().filter(r -> r.from().equals("client") && r.target().equals("server")).findFirst().orElseThrow();
        assertThat(server.pingAnswered()).isFalse();   // FORWARD lets no icmp through
        assertThat(server.of(PortReach.Status.OPEN)).extracting(r -> Packet.protoName(r.proto()) + "/" + r.low() + "-" + r.high())
                // the DNAT names no destination address: 2222 of any address coming in on lan becomes the server's 22
                .containsExactly("tcp/22-22", "tcp/2222-2222", "tcp/8080-8080", "udp/53-53");
        // below 1024 the router resets; 8000-8009 the server drops; the rest of the high ports never pass FORWARD
        assertThat(server.of(PortReach.Status.REQUEST_LOST)).isNotEmpty().allMatch(r -> r.lostHost().equals("router") || r.lostHost().equals("server"));
        assertThat(server.ranges()).anyMatch(r -> r.proto() == Packet.TCP && r.low() <= 8000 && r.high() >= 8009
                && r.status() == PortReach.Status.REQUEST_LOST && r.lostHost().equals("server"));
        PortReach.Reach router = all.stream().filter(r -> r.from().equals("client") && r.target().equals("router")
                && r.address().toString().equals("192.168.1.1")).findFirst().orElseThrow();
        // the router's own 22, and its 2222 forwarded to the server's ssh
        assertThat(router.of(PortReach.Status.OPEN)).extracting(r -> r.low()).contains(22, 2222);
    }
}
