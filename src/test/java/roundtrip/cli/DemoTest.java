package roundtrip.cli;

import org.junit.jupiter.api.Test;
import roundtrip.lab.Lab;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the bundled story, broken, why, fixed, and (as root) proven on a real kernel. */
class DemoTest {
    @Test
    void demoRunsTheStoryEndToEnd() {
        CliTest.Run r = CliTest.run("demo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ssh-pc           REPLY_LOST").contains("root cause: missing-return-route on gw")
                .contains("ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0")
                .contains("Fix 1, simulated again on a copy of the model: the probe passes");
        if (Lab.unavailableReason() == null)
            assertThat(r.out()).containsPattern("ssh-pc\\s+REPLY_LOST\\s+-> ROUND_TRIP_OK\\s+<- the probe");
        else
            assertThat(r.out()).contains("skipped:");
    }

    @Test
    void demoInChinese() {
        CliTest.Run r = CliTest.run("demo", "--lang", "zh");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("根因").contains("修复方案");
    }
}
