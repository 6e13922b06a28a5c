package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenVPN through NAT (issue 9 item 5b): a client pairs with the server its first packet reaches through the router's
 * port forward, the server sees it at its NAT router's address, and the client's pings keep that mapping open so the
 * server can reach the client first. The real daemons and kernel give the same in scenario f-ovpn-port-forward-nat.
 */
class OpenVpnThroughNatTest {
    private static final Path FILE = Path.of("src/test/resources/netfile/ovpn-port-forward-nat.yaml");

    private static Network network(String text) {
        return NetworkFileReader.parse("net.yaml", text, Path.of(".")).network();
    }

    private static ProbeResult run(Network net, String from, String to, int proto, int port) {
        return new Simulator(net).run(new Probe("p", from, null, Ip.parse(to), proto, port, null, null), false);
    }

    @Test
    void theClientBehindNatReachesTheServerBehindThePortForwardAndBack() throws Exception {
        Network net = network(Files.readString(FILE));
        assertThat(new Simulator(net).problems()).isEmpty();   // paired: no "has no OpenVPN server listening" warning
        assertThat(run(net, "laptop", "192.168.1.10", Packet.TCP, 22).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult first = run(net, "pi", "10.8.0.2", Packet.ICMP, 0);
        assertThat(first.verdict()).as("the server reaches the client first").isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        // the server learned the client at the home router's address, through the port forward
        assertThat(first.notes()).anyMatch(n -> n.english().startsWith("laptop tun0 sends its ping to 203.0.113.7:1194; pi learned the endpoint 198.51.100.9:"));
    }

    @Test
    void withoutThePortForwardTheClientIsNotPairedAndNothingGetsThrough() throws Exception {
        Network net = network(Files.readString(FILE).replace("      -A PREROUTING -i wan -p udp --dport 1194 -j DNAT --to-destination 192.168.1.5\n", ""));
        assertThat(new Simulator(net).problems()).anyMatch(p -> p.message().english().contains("has no OpenVPN server listening on udp port 1194")
                && p.message().english().contains("its first packet to the remote arrives on edge"));
        assertThat(run(net, "laptop", "192.168.1.10", Packet.TCP, 22).verdict()).isNotEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(run(net, "pi", "10.8.0.2", Packet.ICMP, 0).verdict()).isNotEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }
}
