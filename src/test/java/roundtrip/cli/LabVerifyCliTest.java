package roundtrip.cli;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import roundtrip.lab.Lab;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `roundtrip lab verify --network FILE | --snapshot DIR --fix N` (issue 5 part 4) on the real kernel, root only: the
 * bundled examples are rebuilt in namespaces, the real results before the fix agree with the simulation, and the
 * printed fix, run verbatim, makes the probe pass without breaking another.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class LabVerifyCliTest {
    /**
     * A router whose only IPv6 filter is the table iptables-nft keeps in nftables (`table ip6 filter`, FORWARD policy drop,
     * given as nft text): the fixes are ip6tables commands, which on the real host edit that table; the simulation edits
     * it too, and both fixes pass on the kernel as simulated.
     */
    @Test
    void ip6tablesFixesEditTheTableIptablesNftKeepsInNftables() {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        for (String fix : java.util.List.of("1", "2")) {
            CliTest.Run r = CliTest.run("lab", "verify", "--network", "src/test/resources/lab/iptables-nft/network.yaml",
                    "--probe", "pc-web-v6", "--fix", fix);
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).containsPattern("pc-web-v6 +REQUEST_LOST +-> ROUND_TRIP_OK +<- the probe")
                    .contains("router# ip6tables").doesNotContain("disagree").doesNotContain("simulation predicted");
            assertThat(r.exit()).isZero();
        }
    }

    @Test
    void theNetworkFilesFixIsProvenOnTheRealKernel() {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        CliTest.Run r = CliTest.run("lab", "verify", "--network", "examples/s1-network-file/network.yaml", "--probe", "pc-ssh-vm", "--fix", "1");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("building 6 hosts in network namespaces")
                .containsPattern("pc-ssh-vm +REPLY_LOST +-> ROUND_TRIP_OK +<- the probe")
                .doesNotContain("disagree").doesNotContain("simulation predicted");
        assertThat(r.exit()).isZero();
    }

    @Test
    void theSnapshotsFixIsProvenOnTheRealKernel() {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        CliTest.Run r = CliTest.run("lab", "verify", "--snapshot", "examples/s2-missing-return-route/snapshot",
                "--probes", "examples/s2-missing-return-route/probes.json", "--probe", "ssh-pc");
        assertThat(r.out()).contains("gw# ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0")
                .containsPattern("ssh-pc +REPLY_LOST +-> ROUND_TRIP_OK +<- the probe")
                .doesNotContain("disagree").doesNotContain("simulation predicted");
        assertThat(r.exit()).isZero();
    }

    @Test
    void theReportReadsInChinese() {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        CliTest.Run r = CliTest.run("lab", "verify", "--network", "examples/s1-network-file/network.yaml", "--probe", "pc-ssh-vm", "--lang", "zh");
        assertThat(r.out()).contains("注：router：OpenVPN tun0：加上 client-config-dir", "正在用网络命名空间搭建 6 台主机", "真实内核上，修复前 -> 修复后")
                .containsPattern("pc-ssh-vm +REPLY_LOST +-> ROUND_TRIP_OK +<- 本探测");
        // the commands applied are verbatim text, like in why's output
        var english = new roundtrip.report.UntranslatedEnglish(r.out().lines().filter(l -> l.contains("# ")).map(l -> l.substring(l.indexOf("# ") + 2)).toList());
        assertThat(r.out().lines().filter(l -> english.find(l) != null).toList()).isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void badRequestsAreOneLineErrors() {
        CliTest.Run r = CliTest.run("lab", "verify", "--snapshot", "examples/s2-missing-return-route/snapshot",
                "--probes", "examples/s2-missing-return-route/probes.json", "--probe", "no-such-probe");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("no probe with id no-such-probe");
        CliTest.Run both = CliTest.run("lab", "verify", "--scenario", "examples/s2-missing-return-route/scenario.yaml",
                "--snapshot", "examples/s2-missing-return-route/snapshot", "--probe", "ssh-pc");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
    }
}
