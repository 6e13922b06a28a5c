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
        assertThat(r.out()).startsWith("no host has saved rules (saved/iptables-rules.v4 next to iptables-save.txt): nothing to compare")
                .doesNotContain("match");
        CliTest.Run s9 = CliTest.run("diff", "--snapshot", SNAP);
        assertThat(s9.out()).doesNotContain("no host has saved rules").contains("host box: a reboot would lose 2 live rule(s)");
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
}
