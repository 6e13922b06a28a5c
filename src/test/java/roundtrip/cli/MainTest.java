package roundtrip.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Main hands picocli only the command being run; usage and errors must not notice. */
class MainTest {
    @Test
    void usageListsEveryCommandInOrder() {
        CliTest.Run r = CliTest.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsSubsequence("demo", "check", "trace", "why", "diff", "collect-script", "lab", "bench");
    }

    @Test
    void noArgumentsPrintsUsage() {
        CliTest.Run r = CliTest.run();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Commands:").contains("check");
    }

    @Test
    void aCommandsOwnHelpAndItsSubcommands() {
        assertThat(CliTest.run("check", "--help").out()).contains("--probes");
        assertThat(CliTest.run("lab", "verify", "--help").out()).contains("--probe");
    }

    /** The version alone is printed without building any command (usage after it still lists them all). */
    @Test
    void theVersionAloneAndWithHelp() {
        for (String v : new String[] {"--version", "-V"}) {
            CliTest.Run r = CliTest.run(v);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo("roundtrip 0.1\n");
        }
        assertThat(CliTest.run("--help", "--version").out()).contains("Commands:").contains("bench");
    }

    @Test
    void anUnknownCommandIsBadInput() {
        CliTest.Run r = CliTest.run("chek", "--snapshot", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("chek");
    }
}
