package roundtrip.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.model.TunnelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site-to-site OpenVPN snapshot collected from network namespaces running OpenVPN 2.6.14 (server vpnsrv with
 * topology subnet, a CCD iroute for siteb's LAN 192.168.4.0/24; clients siteb and laptop; LAN hosts lanhost and
 * bhost). What the real lab showed: bhost -> lanhost answered; laptop -> siteb's 10.200.0.2 answered (through the
 * server's kernel, ip_forward = 1, no client-to-client); a ping from siteb with a source outside its iroute got
 * "siteb/198.51.100.7:34948 MULTI: bad source address from client [192.168.5.1], packet dropped" at verb 4.
 */
class OpenVpnSnapshotTest {
    static final Path SNAP = Path.of("src/test/resources/snapshots/openvpn-site-to-site");

    @TempDir Path tmp;

    static Probe ping(String from, String src, String to) {
        return new Probe(from + "-" + to, from, src == null ? null : Ip.parse(src), Ip.parse(to), Packet.ICMP, 0, null, null);
    }

    @Test
    void loadsOneInstancePerConfigWithCcdAndStatus() {
        Network net = SnapshotLoader.load(SNAP, "snap");
        TunnelConfig t = net.host("vpnsrv").tunnels().get(0);
        assertThat(t).isInstanceOf(OpenVpnConfig.class);
        OpenVpnConfig server = (OpenVpnConfig) t;
        assertThat(server.device()).isEqualTo("tun0");
        assertThat(server.ccds()).extracting(OpenVpnConfig.Ccd::commonName).containsExactly("siteb");
        assertThat(server.status().clients()).extracting(OpenVpnConfig.StatusClient::commonName).containsExactly("laptop", "siteb");
        assertThat(net.host("vpnsrv").problems()).extracting(Problem::toString).containsExactly("snap/vpnsrv: not collected: "
                + "iptables-save.txt and nft.json (no firewall rules assumed), ss-listen.txt (every probed port taken as open)");
        assertThat(new Simulator(net).problems()).isEmpty();
    }

    @Test
    void siteToSiteRoundTrip_S3() {
        ProbeResult r = new Simulator(SnapshotLoader.load(SNAP, "snap")).run(ping("bhost", null, "10.198.0.5"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(r.request().deliveredTo()).isEqualTo("lanhost");
    }

    @Test
    void clientsReachEachOtherThroughTheServersKernel_S6() {
        ProbeResult r = new Simulator(SnapshotLoader.load(SNAP, "snap")).run(ping("laptop", null, "10.200.0.2"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test
    void withoutIpForwardClientsCannotReachEachOther_S6() throws IOException {
        Path snap = copy();
        Path sysctl = snap.resolve("vpnsrv/sysctl.txt");
        Files.writeString(sysctl, Files.readString(sysctl).replace("forwarding = 1", "forwarding = 0")
                .replace("net.ipv4.ip_forward = 1", "net.ipv4.ip_forward = 0"));
        ProbeResult r = new Simulator(SnapshotLoader.load(snap, "snap")).run(ping("laptop", null, "10.200.0.2"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().host()).isEqualTo("vpnsrv");
        assertThat(r.request().lostAt().stage()).isNotEqualTo("openvpn");

        // the fix that stays inside the daemon
        Path conf = snap.resolve("vpnsrv/openvpn/server.conf");
        Files.writeString(conf, Files.readString(conf) + "client-to-client\n");
        ProbeResult fixed = new Simulator(SnapshotLoader.load(snap, "snap")).run(ping("laptop", null, "10.200.0.2"));
        assertThat(fixed.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test
    void withoutTheCcdFileTheServerDropsTheClientLan_S7() throws IOException {
        Path snap = copy();
        Files.delete(snap.resolve("vpnsrv/openvpn/ccd/siteb"));
        // the daemon never learned the iroute, so the status file does not show it either
        Path status = snap.resolve("vpnsrv/openvpn/status.log");
        Files.writeString(status, String.join("\n", Files.readAllLines(status).stream()
                .filter(l -> !l.startsWith("ROUTING_TABLE,192.168.4.")).toList()) + "\n");
        ProbeResult r = new Simulator(SnapshotLoader.load(snap, "snap")).run(ping("bhost", null, "10.198.0.5"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().host()).isEqualTo("vpnsrv");
        assertThat(r.request().lostAt().stage()).isEqualTo("openvpn");
        assertThat(r.request().lostAt().reason().english())
                .startsWith("siteb/198.51.100.7:34948 MULTI: bad source address from client [192.168.4.10], packet dropped");
    }

    @Test
    void fromTheClientItselfTheTunnelAddressIsTheSource_S4() {
        ProbeResult r = new Simulator(SnapshotLoader.load(SNAP, "snap")).run(ping("siteb", null, "10.198.0.5"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        ProbeResult outside = new Simulator(SnapshotLoader.load(SNAP, "snap")).run(ping("vpnsrv", null, "192.168.4.10"));
        assertThat(outside.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test
    void aClientsStatusFileIsAcceptedAndAServerWithoutOneStillPairs() throws IOException {
        Path snap = copy();
        String statistics = "OpenVPN STATISTICS\nUpdated,2026-12-02 07:17:44\nTUN/TAP read bytes,48\nTUN/TAP write bytes,0\n"
                + "TCP/UDP read bytes,1973\nTCP/UDP write bytes,2008\nAuth read bytes,0\nEND\n";
        // what the collector copies from a client whose config has `status`
        Files.writeString(snap.resolve("laptop/openvpn/status.log"), statistics);
        Network net = SnapshotLoader.load(snap, "snap");
        assertThat(net.host("laptop").problems()).extracting(Problem::toString).noneMatch(m -> m.contains("status"));
        assertThat(new Simulator(net).run(ping("laptop", null, "10.200.0.2")).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);

        // a host running both: the client's statistics next to the server config say nothing about its clients
        Files.writeString(snap.resolve("vpnsrv/openvpn/status.log"), statistics);
        Network both = SnapshotLoader.load(snap, "snap");
        assertThat(both.host("vpnsrv").problems()).extracting(Problem::toString).contains("snap/vpnsrv/openvpn/status.log: a client's "
                + "status file (OpenVPN STATISTICS, no client list): the server's clients are paired without one");
        assertThat(new Simulator(both).run(ping("bhost", null, "10.198.0.5")).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);

        // a daemon that has just started has emptied it
        Files.writeString(snap.resolve("vpnsrv/openvpn/status.log"), "");
        assertThat(SnapshotLoader.load(snap, "snap").host("vpnsrv").problems()).extracting(Problem::toString).contains(
                "snap/vpnsrv/openvpn/status.log: empty (OpenVPN empties it when it starts and writes it at the first status interval): not used");
    }

    @Test
    void ccdWithoutClientConfigDirIsReported() throws IOException {
        Path snap = copy();
        Path conf = snap.resolve("vpnsrv/openvpn/server.conf");
        Files.writeString(conf, Files.readString(conf).replace("client-config-dir ccd\n", ""));
        Network net = SnapshotLoader.load(snap, "snap");
        assertThat(net.host("vpnsrv").problems()).extracting((p -> p.message().english())).anySatisfy(m ->
                assertThat(m).startsWith("ccd/ has files but the server has no client-config-dir"));
    }

    private Path copy() throws IOException {
        Path to = tmp.resolve("snap");
        try (Stream<Path> files = Files.walk(SNAP)) {
            for (Path p : files.toList()) {
                Path t = to.resolve(SNAP.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }
}
