package roundtrip.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** check and trace with --network, alone and next to --snapshot. */
class NetworkFileCliTest {
    static final String DIR = "src/test/resources/netfile/";

    @TempDir Path tmp;

    @Test void checkTakesTheProbesOfTheNetworkFile() {
        CliTest.Run r = CliTest.run("check", "--network", DIR + "s1-broken.yaml");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("pc-ssh-vm", "REPLY_LOST", "[as expected]");
        CliTest.Run json = CliTest.run("check", "--network", DIR + "s15/network.yaml", "--format", "json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).contains("\"verdict\" : \"REPLY_LOST\"").contains("s15/op1-config/firewall").contains("\"line\" : 20");
    }

    @Test void aProbeFileReplacesTheNetworkFilesProbes() throws Exception {
        Path probes = tmp.resolve("p.json");
        Files.writeString(probes, "[{\"id\": \"x\", \"from\": \"office-pc\", \"to\": \"192.168.78.19\", \"expect\": \"ROUND_TRIP_OK\"}]");
        CliTest.Run r = CliTest.run("check", "--network", DIR + "s1-broken.yaml", "--probes", probes.toString());
        assertThat(r.exit()).isEqualTo(1);   // the expectation is not met: the VM's reply is lost
        assertThat(r.out()).contains("x ").doesNotContain("pc-ssh-nas");
    }

    @Test void networkAndSnapshotCombine() {
        CliTest.Run r = CliTest.run("check", "--network", DIR + "laptop-joins-office.yaml",
                "--snapshot", "src/test/resources/snapshots/office");
        assertThat(r.out()).contains("laptop-ping-gw");
        assertThat(r.exit()).isIn(0, 1);
    }

    @Test void traceWithANetworkFile() {
        CliTest.Run r = CliTest.run("trace", "--network", DIR + "s1-fixed.yaml", "--from", "office-pc",
                "--to", "192.168.78.19:22", "--proto", "tcp");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("SNAT --to-source 192.168.78.1").contains("s1-fixed.yaml:20");
    }

    @Test void badNetworkFileIsOneLineWithFileAndLineAndExit2() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "hosts:\n  a:\n    interfaces: {eth0: 10.0.0.1/24}\n    routes: [10.9.0.0/16 via 10.1.1.1]\n");
        CliTest.Run r = CliTest.run("check", "--network", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("bad.yaml:4").contains("not on a connected subnet");
        CliTest.Run none = CliTest.run("check", "--network", tmp.resolve("missing.yaml").toString());
        assertThat(none.exit()).isEqualTo(2);
        CliTest.Run neither = CliTest.run("check");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("--network");
    }
}
