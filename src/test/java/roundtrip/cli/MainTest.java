package roundtrip.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Main hands picocli only the command being run; usage and errors must not notice. */
class MainTest {
    /**
     * Output is UTF-8 whatever the locale: under LANG=C the JVM's own System.out writes ASCII, and --lang zh came out
     * as question marks. A real process, since the encoding is the JVM's. (Arguments and file names in Chinese need
     * the locale's help: the launcher gives the JVM a UTF-8 LC_CTYPE, LauncherTest.)
     */
    @Test
    void chineseIsUtf8UnderTheCLocale() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.function.Function<String[], String[]> run = args -> {
            try {
                java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                        "roundtrip.cli.Main"));
                cmd.addAll(java.util.List.of(args));
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.environment().put("LANG", "C");
                pb.environment().put("LC_ALL", "C");
                pb.environment().remove("JAVA_TOOL_OPTIONS");
                Process p = pb.start();
                byte[] out = p.getInputStream().readAllBytes(), err = p.getErrorStream().readAllBytes();
                p.waitFor();
                return new String[] {new String(out, java.nio.charset.StandardCharsets.UTF_8),
                        new String(err, java.nio.charset.StandardCharsets.UTF_8), Integer.toString(p.exitValue())};
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        // check, not demo: demo goes on to a real kernel in namespaces when run as root
        String[] zh = run.apply(new String[] {"check", "--snapshot", "examples/s2-missing-return-route/snapshot",
                "--probes", "examples/s2-missing-return-route/probes.json", "--lang", "zh"});
        assertThat(zh[0]).as(zh[1]).contains("ssh-pc").contains("符合预期").doesNotContain("???");
        String[] bad = run.apply(new String[] {"check", "--snapshot", "no-such-dir", "--probes", "p.json", "--lang", "zh"});
        assertThat(bad[2]).isEqualTo("2");
        assertThat(bad[1]).isEqualTo("roundtrip: no-such-dir: no such snapshot\n");
    }

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
