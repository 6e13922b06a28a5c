package roundtrip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Story S9: the MASQUERADE and FORWARD fixes were applied live but never saved; saved/iptables-rules.v4 still
 * holds the stage-2 ruleset (snapshot collected from real namespaces by the lab).
 */
class DiffTest {
    private static final Path DIR = Path.of("src/test/resources/snapshots/s09-unsaved");
    private static final String SNAP = DIR.resolve("snapshot").toString(), PROBES = DIR.resolve("probes.json").toString();

    @Test
    void diffListsWhatARebootLosesAndWhichProbesBreak() throws Exception {
        CliTest.Run r = CliTest.run("diff", "--snapshot", SNAP, "--probes", PROBES, "--format", "json");
        assertThat(r.exit()).as("a probe changes verdict").isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.at("/hosts/0/host").asText()).isEqualTo("box");
        assertThat(j.at("/hosts/0/lostAtReboot").toString()).contains("-A FORWARD -i tun0 -o ens160 -j ACCEPT");
        assertThat(j.at("/probes/0/id").asText()).isEqualTo("phantun-syn");
        assertThat(j.at("/probes/0/live").asText()).isEqualTo("ROUND_TRIP_OK");
        assertThat(j.at("/probes/0/afterReboot").asText()).isEqualTo("REQUEST_LOST");
    }

    @Test
    void withoutSavedRulesNothingIsClaimedToMatch() {
        CliTest.Run r = CliTest.run("diff", "--snapshot", "src/test/resources/why/s02-return-route-broken/snapshot");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("no host has saved rules (saved/iptables-rules.v4 or saved/nftables.conf): there is nothing to compare")
                .doesNotContain("match");
        CliTest.Run s9 = CliTest.run("diff", "--snapshot", SNAP);
        assertThat(s9.out()).doesNotContain("no host has saved rules").contains("host box: a reboot would lose 2 live iptables rule(s)");
    }

    @Test
    void checkWarnsThatLiveAndSavedDifferAndAfterRebootUsesTheSavedRules() {
        CliTest.Run live = CliTest.run("check", "--snapshot", SNAP, "--probes", PROBES);
        assertThat(live.exit()).isZero();
        assertThat(live.err()).contains("box/saved/iptables-rules.v4: the live iptables rules differ from the saved ones: 2 live rule(s) would be lost");
        CliTest.Run rebooted = CliTest.run("check", "--after-reboot", "--snapshot", SNAP, "--probes", PROBES);
        assertThat(rebooted.exit()).as("the probes expect the live behaviour").isEqualTo(1);
        assertThat(rebooted.out()).contains("phantun-syn      REQUEST_LOST").contains("dropped by the DROP policy of filter FORWARD");
    }

    /**
     * A router collected from namespaces (snapshots/nft-unsaved/scenario.yaml, real results: ssh-server ROUND_TRIP_OK,
     * web-server REQUEST_LOST): an ssh forward added to the live nft ruleset by hand, /etc/nftables.conf still allowing
     * only http, and a table made at run time by another program.
     */
    private static final Path NFT = Path.of("src/test/resources/snapshots/nft-unsaved");

    @Test
    void diffComparesSavedNftablesConfWithTheLiveRuleset() throws Exception {
        CliTest.Run r = CliTest.run("diff", "--snapshot", NFT.resolve("snapshot").toString(), "--probes",
                NFT.resolve("probes.json").toString(), "--format", "json");
        assertThat(r.exit()).as("probes change verdict").isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.at("/hostsWithSavedRules").asInt()).isEqualTo(1);
        assertThat(j.at("/hosts/0/host").asText()).isEqualTo("router");
        assertThat(j.at("/hosts/0/lostAtReboot").toString())
                .contains("nft inet filter forward: iifname \\\"wan0\\\" ip daddr 192.168.5.20 tcp dport 22 accept comment \\\"added by hand\\\"");
        assertThat(j.at("/hosts/0/restoredAtReboot").toString()).contains("tcp dport 80 accept");
        assertThat(j.at("/hosts/0/nftNotSaved/0").asText()).isEqualTo("table ip docker-bridges (0 rules)");
        assertThat(j.at("/probes").toString()).contains("\"id\":\"ssh-server\",\"live\":\"ROUND_TRIP_OK\",\"afterReboot\":\"REQUEST_LOST\"")
                .contains("\"id\":\"web-server\",\"live\":\"REQUEST_LOST\",\"afterReboot\":\"ROUND_TRIP_OK\"");
        CliTest.Run text = CliTest.run("diff", "--snapshot", NFT.resolve("snapshot").toString());
        assertThat(text.out()).contains("host router: a reboot would lose 1 live nft rule(s) or chain(s) and bring back 1 from saved/nftables.conf")
                .contains("not saved: table ip docker-bridges (0 rules): made again at boot by the program that made it, or lost");
    }

    @Test
    void checkSaysTheLiveNftRulesetDiffersFromTheSavedOne() {
        CliTest.Run live = CliTest.run("check", "--snapshot", NFT.resolve("snapshot").toString(), "--probes", NFT.resolve("probes.json").toString());
        assertThat(live.exit()).isZero();
        assertThat(live.err()).contains("router/saved/nftables.conf: the live nft ruleset differs from the saved one: 1 live rule(s) or chain(s) would be lost");
    }

    @Test
    void diffDoesNotClaimAMatchWhenNoHostHasSavedRules() {
        CliTest.Run r = CliTest.run("diff", "--snapshot", "src/test/resources/snapshots/real-lab");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("no host has saved rules (saved/iptables-rules.v4 or saved/nftables.conf)")
                .doesNotContain("match the saved ones");
    }
}
