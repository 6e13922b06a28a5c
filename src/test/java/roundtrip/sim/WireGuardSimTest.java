package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.WireGuardReader;
import roundtrip.kernel.TestHosts;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Site-to-site WireGuard between two routers (stories S10/S12), on a hand-built network. */
class WireGuardSimTest {
    static final String OP1_PRIVATE = "iLMscTLek3Vs+wulw00xdx9S5CUwFK4O3FjjwmnLSGM=", OP1_PUBLIC = "kIpcDk2OwjS4Mbku0CuqQe0xAt63zRuP+782dWPe4zM=";
    static final String OP2_PRIVATE = "SPivv02f7c8bCIgjHbRcm+x+PcjQql3mjxKzkUbEtn8=", OP2_PUBLIC = "zQtfeu5hBQyZQGhY/utfIhTzVyoIMy49Ie8GzfkLeV0=";
    static final Map<String, String> FORWARD = Map.of("net.ipv4.ip_forward", "1");

    static WireGuardConfig wg(String device, String privateKey, int port, long fwmark, String peerKey, String endpoint, String allowed) {
        String text = "[Interface]\nListenPort = " + port + "\nPrivateKey = " + privateKey + (fwmark != 0 ? "\nFwMark = 0x" + Long.toHexString(fwmark) : "")
                + "\n\n[Peer]\nPublicKey = " + peerKey + "\nAllowedIPs = " + allowed + (endpoint != null ? "\nEndpoint = " + endpoint : "") + "\n";
        return WireGuardReader.read(device + ".conf", device, text, new ArrayList<>());
    }

    static Network siteToSite(String op1Allowed, String op2Allowed) {
        Host op1 = TestHosts.host("op1").sysctl(FORWARD).iface("eth0", "203.0.113.1/24").iface("lan0", "192.168.35.1/24")
                .tunnelIface("wg_s2s", "10.0.0.1/24")
                .route(Route.TABLE_MAIN, "192.168.36.0/24", null, "wg_s2s")
                .tunnel(wg("wg_s2s", OP1_PRIVATE, 51820, 0, OP2_PUBLIC, "203.0.113.2:51820", op1Allowed)).build();
        Host op2 = TestHosts.host("op2").sysctl(FORWARD).iface("eth0", "203.0.113.2/24").iface("lan0", "192.168.36.1/24")
                .tunnelIface("wg_s2s", "10.0.0.2/24")
                .route(Route.TABLE_MAIN, "192.168.35.0/24", null, "wg_s2s")
                .tunnel(wg("wg_s2s", OP2_PRIVATE, 51820, 0, OP1_PUBLIC, null, op2Allowed)).build();
        Host h1 = TestHosts.host("h1").iface("eth0", "192.168.35.10/24").route(Route.TABLE_MAIN, "0.0.0.0/0", "192.168.35.1", "eth0").build();
        Host h2 = TestHosts.host("h2").iface("eth0", "192.168.36.10/24").route(Route.TABLE_MAIN, "0.0.0.0/0", "192.168.36.1", "eth0").build();
        return new Network(List.of(op1, op2, h1, h2), List.of(
                new Segment("wan", List.of(new Segment.Attachment("op1", "eth0"), new Segment.Attachment("op2", "eth0"))),
                new Segment("lan1", List.of(new Segment.Attachment("op1", "lan0"), new Segment.Attachment("h1", "eth0"))),
                new Segment("lan2", List.of(new Segment.Attachment("op2", "lan0"), new Segment.Attachment("h2", "eth0")))));
    }

    static Probe ssh(String from, String to) {
        return new Probe("ssh", from, null, Ip.parse(to), Packet.TCP, 22, null, null);
    }

    @Test
    void roundTripThroughTheTunnelAndTheEncryptedPacketCrossesTheUnderlay() {
        Simulator sim = new Simulator(siteToSite("10.0.0.2/32, 192.168.36.0/24", "10.0.0.1/32, 192.168.35.0/24"));
        assertThat(sim.problems()).isEmpty();
        ProbeResult r = sim.run(ssh("h1", "192.168.36.10"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(r.data().delivered()).isTrue();
        List<String> lines = r.phases().get(0).steps().stream().map(s -> s.host() + " " + roundtrip.report.StepText.of(s)).toList();
        assertThat(lines).contains("op1 wg_s2s Out IP 192.168.35.10.40000 > 192.168.36.10.22: Flags [S]",
                "op1 eth0 Out IP 203.0.113.1.51820 > 203.0.113.2.51820: UDP, length 60",
                "op2 wg_s2s In IP 192.168.35.10.40000 > 192.168.36.10.22: Flags [S]");
    }

    @Test
    void allowedIpsFilterTheSourceOnReceipt() {
        // S12 (a): op2's peer entry for op1 lacks op1's LAN, so op2 drops what comes from there
        ProbeResult r = new Simulator(siteToSite("10.0.0.2/32, 192.168.36.0/24", "10.0.0.1/32")).run(ssh("h1", "192.168.36.10"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().host()).isEqualTo("op2");
        assertThat(r.request().lostAt().stage()).isEqualTo("wireguard");
        assertThat(r.request().lostAt().reason().english()).startsWith("wg_s2s: Packet has unallowed src IP (192.168.35.10) from peer");
        assertThat(r.request().lostAt().source().text()).isEqualTo("AllowedIPs = 10.0.0.1/32");
    }

    @Test
    void redactedKeysMakeTheResultUncertainInsteadOfWrong() {
        Network full = siteToSite("10.0.0.2/32, 192.168.36.0/24", "10.0.0.1/32, 192.168.35.0/24");
        // op1's private key was redacted by the collector: op2 cannot check who is talking
        WireGuardConfig redacted = wg("wg_s2s", "(redacted)", 51820, 0, OP2_PUBLIC, "203.0.113.2:51820", "10.0.0.2/32, 192.168.36.0/24");
        Host op1 = full.host("op1");
        Host op1Redacted = new Host("op1", List.copyOf(op1.interfaces().values()), op1.routes(), op1.rules(), op1.firewall(),
                op1.sysctls(), op1.listeners(), op1.problems(), List.of(redacted));
        Network net = new Network(List.of(op1Redacted, full.host("op2"), full.host("h1"), full.host("h2")), full.segments());
        ProbeResult r = new Simulator(net).run(ssh("h1", "192.168.36.10"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(r.certain()).isFalse();
        assertThat(r.uncertain().get(0).message().english()).contains("public keys are missing");
    }

    @Test
    void noPeerForTheDestination() {
        ProbeResult r = new Simulator(siteToSite("10.0.0.2/32", "10.0.0.1/32, 192.168.35.0/24")).run(ssh("h1", "192.168.36.10"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().reason().english()).isEqualTo("wg_s2s: No peer has allowed IPs matching 192.168.36.10");
    }

    @Test
    void theResponderLearnsTheEndpointFromTheFirstPacket() {
        // op2 has no Endpoint for op1: traffic from op2 first has nowhere to go, but a reply does
        Network net = siteToSite("10.0.0.2/32, 192.168.36.0/24", "10.0.0.1/32, 192.168.35.0/24");
        assertThat(new Simulator(net).run(ssh("h2", "192.168.35.10")).request().lostAt().reason().english())
                .contains("No valid endpoint has been configured or discovered");
        assertThat(new Simulator(net).run(ssh("h1", "192.168.36.10")).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    /** wg-quick with AllowedIPs 0.0.0.0/0: table 51820 + "not fwmark" + suppress_prefixlength 0. */
    static Network fullTunnel(long fwmark) {
        Rule suppress = new Rule(Ip.Family.IPV4, 32764, false, null, null, null, 0, null, null, null, "table", Route.TABLE_MAIN, 0, 0, Source.NONE);
        Rule notMark = new Rule(Ip.Family.IPV4, 32765, true, null, null, 0xca6cL, 0xffffffffL, null, null, null, "table", 51820, 0, -1, Source.NONE);
        Host laptop = TestHosts.host("laptop").iface("eth0", "198.51.100.7/24").tunnelIface("wg0", "10.0.0.7/24")
                .route(Route.TABLE_MAIN, "0.0.0.0/0", "198.51.100.1", "eth0")
                .route(51820, "0.0.0.0/0", null, "wg0")
                .defaultRules().rule(suppress).rule(notMark)
                .tunnel(wg("wg0", OP1_PRIVATE, 51820, fwmark, OP2_PUBLIC, "203.0.113.2:51820", "0.0.0.0/0")).build();
        Host isp = TestHosts.host("isp").sysctl(FORWARD).iface("eth0", "198.51.100.1/24").iface("eth1", "203.0.113.254/24").build();
        Host server = TestHosts.host("server").sysctl(FORWARD).iface("eth0", "203.0.113.2/24").tunnelIface("wg0", "10.0.0.1/24")
                .route(Route.TABLE_MAIN, "0.0.0.0/0", "203.0.113.254", "eth0")
                .tunnel(wg("wg0", OP2_PRIVATE, 51820, 0, OP1_PUBLIC, null, "10.0.0.7/32")).build();
        return new Network(List.of(laptop, isp, server), List.of(
                new Segment("home", List.of(new Segment.Attachment("laptop", "eth0"), new Segment.Attachment("isp", "eth0"))),
                new Segment("dc", List.of(new Segment.Attachment("isp", "eth1"), new Segment.Attachment("server", "eth0")))));
    }

    @Test
    void theFwmarkKeepsTheTunnelsOwnPacketsOutOfTheTunnel() {
        Probe ping = new Probe("ping", "laptop", null, Ip.parse("10.0.0.1"), Packet.ICMP, 0, null, null);
        assertThat(new Simulator(fullTunnel(0xca6c)).run(ping).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult loop = new Simulator(fullTunnel(0)).run(ping);
        assertThat(loop.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(loop.request().lostAt().reason().english()).startsWith("wg0: Avoiding routing loop to 203.0.113.2:51820");
    }
}
