package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.netfilter.PortCuts;

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
    private static final String NET = """
            hosts:
              client:
                interfaces: {eth0: 192.168.1.10/24}
                routes: [default via 192.168.1.1]
              router:
                interfaces: {lan: 192.168.1.1/24, dmz: 10.0.0.1/24}
                sysctl: {net.ipv4.ip_forward: 1}
                listen: [tcp/22]
                iptables: |
                  *nat
                  -A PREROUTING -i lan -p tcp --dport 2222 -j DNAT --to-destination 10.0.0.5:22
                  COMMIT
                  *filter
                  :FORWARD DROP [0:0]
                  -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                  -A FORWARD -p tcp -m multiport --dports 22,8000:8080 -j ACCEPT
                  -A FORWARD -p udp --dport 53 -j ACCEPT
                  -A FORWARD -p tcp ! --dport 1024:65535 -j REJECT --reject-with tcp-reset
                  COMMIT
              server:
                interfaces: {eth0: 10.0.0.5/24}
                routes: [default via 10.0.0.1]
                listen: [tcp/22, tcp/8080, udp/53, tcp/9000]
                nft: |
                  table inet filter {
                    chain input { type filter hook input priority 0; policy accept;
                      tcp dport { 8000-8009 } drop
                      udp dport 60000-61000 reject
                    }
                  }
            segments:
              lan: [client:eth0, router:lan]
              dmz: [router:dmz, server:eth0]
            """;

    private static Network net() { return NetworkFileReader.parse("net.yaml", NET, Path.of(".")).network(); }

    @Test void everyPortOfAClassGetsTheVerdictOfItsFirst() {
        Network net = net();
        PortCuts cuts = PortClasses.of(net);
        assertThat(cuts.exact()).isTrue();
        Simulator sim = new Simulator(net);
        Random random = new Random(13);
        int checked = 0;
        for (Matrix.Target t : Matrix.targets(net, Matrix.allPorts(cuts))) {
            if (t.service().proto() == Packet.ICMP) continue;
            for (String from : List.of("client", "router", "server")) {
                if (from.equals(t.host())) continue;
                Matrix.Service s = t.service();
                String expected = sim.run(new Matrix.Pair(from, t).probe(), false).verdict().name();
                List<Integer> ports = new ArrayList<>(List.of(s.high(), (s.port() + s.high()) / 2));
                for (int i = 0; i < 3; i++) ports.add(s.port() + random.nextInt(s.high() - s.port() + 1));
                for (int port : ports) {
                    Probe p = new Probe("p", from, null, t.address(), s.proto(), port, null, null);
                    assertThat(sim.run(p, false).verdict().name()).as(from + " -> " + t.address() + " " + s + " at port " + port).isEqualTo(expected);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
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
