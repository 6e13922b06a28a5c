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
 * Peers behind NAT (issue 9 item 4): a hub has no Endpoint for its roaming peers; the peer with PersistentKeepalive
 * has told it where it is (its keepalive crossed the NAT before the probe), the silent one has not. The network is
 * the one of the conformance scenario f-wg-keepalive-behind-nat, whose real-kernel verdicts are the same.
 */
class WireGuardKeepaliveTest {
    static final Path FILE = Path.of("src/test/resources/scenarios/networks/f-wg-keepalive-behind-nat.yaml");

    static Network network(String text) {
        return NetworkFileReader.parse(FILE.toString(), text, FILE.getParent()).network();
    }

    static Probe ping(String to) { return new Probe("ping", "vps", null, Ip.parse(to), Packet.ICMP, 0, null, null); }

    @Test
    void theKeepalivePeerIsReachableAndTheNoteSaysWhy() throws Exception {
        Simulator sim = new Simulator(network(Files.readString(FILE)));
        ProbeResult laptop = sim.run(ping("10.66.0.2"));
        assertThat(laptop.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(laptop.notes()).anyMatch(n -> n.english().startsWith("laptop wg0 sends its PersistentKeepalive to 203.0.113.5:51820; vps "
                + "learned the endpoint 203.0.113.9:"));
        // the hub's packet reaches the laptop through the NAT mapping the keepalive left on cgnat
        assertThat(laptop.phases().get(0).steps()).anyMatch(s -> s.host().equals("cgnat") && roundtrip.report.StepText.of(s).contains("203.0.113.5.51820 > 100.64.0.2"));
        ProbeResult ssh = sim.run(new Probe("ssh", "vps", null, Ip.parse("10.66.0.2"), Packet.TCP, 22, null, null));
        assertThat(ssh.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult phone = sim.run(ping("10.66.0.3"));
        assertThat(phone.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(phone.request().lostAt().host()).isEqualTo("vps");
        assertThat(phone.request().lostAt().reason().english()).contains("No valid endpoint has been configured or discovered for peer",
                "it sends no PersistentKeepalive");
        assertThat(roundtrip.report.Zh.text(phone.request().lostAt().reason())).contains("PersistentKeepalive").doesNotContain("it sends no");
        assertThat(laptop.notes()).allSatisfy(n -> assertThat(roundtrip.report.Zh.text(n)).doesNotContain("learned the endpoint"));
    }

    /**
     * Matrix's runner keeps its tables from probe to probe, emptied: the endpoint the hub learned from the silent
     * peer's own ping must be gone for the next probe, which then fails as it does alone.
     */
    @Test
    void anEndpointLearnedInOneProbeIsForgottenByTheNextOnReusedTables() throws Exception {
        Simulator sim = new Simulator(network(Files.readString(FILE)));
        Simulator.Reusing reused = sim.reusing();
        ProbeResult fromPhone = reused.run(new Probe("up", "phone", null, Ip.parse("10.66.0.1"), Packet.ICMP, 0, null, null), false);
        assertThat(fromPhone.verdict()).as("the phone reaches the hub, which learns where it is").isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult toPhone = reused.run(ping("10.66.0.3"), false);
        assertThat(toPhone.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        // lost where a fresh run loses it: on the hub, which knows no endpoint (not at the NAT, whose mapping is gone)
        assertThat(toPhone.request().lostAt().host()).isEqualTo("vps");
        assertThat(toPhone.request().lostAt().stage()).isEqualTo("wireguard");
    }

    @Test
    void withoutTheKeepaliveTheHubCannotReachTheLaptop() throws Exception {
        String text = Files.readString(FILE).replace("        PersistentKeepalive = 25\n", "");
        ProbeResult r = new Simulator(network(text)).run(ping("10.66.0.2"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().stage()).isEqualTo("wireguard");
        assertThat(r.notes()).noneMatch(n -> n.english().contains("PersistentKeepalive"));
    }

    @Test
    void aKeepaliveTheNatDropsTeachesNothingAndSaysWhere() throws Exception {
        String text = Files.readString(FILE).replace("      -A POSTROUTING -s 100.64.0.0/24 -o eth1 -j MASQUERADE\n      COMMIT\n",
                "      -A POSTROUTING -s 100.64.0.0/24 -o eth1 -j MASQUERADE\n      COMMIT\n      *filter\n      :FORWARD DROP [0:0]\n      COMMIT\n");
        ProbeResult r = new Simulator(network(text)).run(ping("10.66.0.2"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.notes()).anyMatch(n -> n.english().startsWith("laptop wg0 sends its PersistentKeepalive to 203.0.113.5:51820, but it is lost on cgnat"));
    }

    /** OpenWrt: netifd hands a peer's option persistent_keepalive to wg. */
    @Test
    void openWrtPeersKeepTheirKeepalive() {
        Network net = NetworkFileReader.read(Path.of("src/test/resources/cases/23-openwrt-vpn-client-interface-in-no-zone/network.yaml")).network();
        assertThat(net.hosts().get("openwrt").tunnels()).flatExtracting(t -> ((roundtrip.model.WireGuardConfig) t).peers())
                .extracting(roundtrip.model.WireGuardConfig.Peer::persistentKeepalive).containsExactly(25);
    }
}
