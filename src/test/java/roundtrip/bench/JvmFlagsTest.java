package roundtrip.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** bench starts processes with the flags bin/roundtrip gives the same commands, or it measures something users do not run. */
class JvmFlagsTest {
    private static final String LAUNCHER;

    static {
        try {
            LAUNCHER = Files.readString(Path.of("bin/roundtrip"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> flags(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(LAUNCHER);
        assertThat(m.find()).as("bin/roundtrip has a line matching %s", regex).isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    private static List<String> launcherFlags(String caseRegex) {
        List<String> out = new ArrayList<>(flags("^\\s*" + caseRegex + "\\) jvm=\"([^\"$]*)\" ;;"));
        out.addAll(flags("^jvm=\"\\$jvm ([^\"]*)\""));
        return out;
    }

    /** Whether the launcher's huge-page lines add the flag, run by sh with {@code mode} as the sysfs file (null: none). */
    private static boolean launcherHugePages(String mode) {
        try {
            Path dir = Files.createTempDirectory("roundtrip-thp");
            try {
                Path sysfs = dir.resolve("enabled");
                if (mode != null) Files.writeString(sysfs, mode.isEmpty() ? "" : mode + "\n");
                Matcher m = Pattern.compile("^thp=\n(?:.*\n)*?case \"\\$thp\".*\n", Pattern.MULTILINE).matcher(LAUNCHER);
                assertThat(m.find()).as("bin/roundtrip's huge-page lines").isTrue();
                String lines = m.group().replace(JvmFlags.HUGE_PAGES_SYSFS.toString(), sysfs.toString());
                Process p = new ProcessBuilder("sh", "-ec", "jvm=\n" + lines + "printf '%s' \"$jvm\"").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(out).isZero();
                assertThat(out.trim()).isIn("", JvmFlags.HUGE_PAGES);
                return out.contains(JvmFlags.HUGE_PAGES);
            } finally {
                Files.deleteIfExists(dir.resolve("enabled"));
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyCommandGetsHugePagesWhereTheKernelOffersThem() {
        assertThat(LAUNCHER).contains("read -r thp <" + JvmFlags.HUGE_PAGES_SYSFS);
        assertThat(flags("^case \"\\$thp\" in \\*\"\\[always\\]\"\\*\\|\\*\"\\[madvise\\]\"\\*\\) jvm=\"\\$jvm ([^\"]*)\" ;; esac"))
                .containsExactly(JvmFlags.HUGE_PAGES);
        // the launcher's own lines, run by sh on a stand-in for the sysfs file, and JvmFlags, agree on every mode
        java.util.Map<String, Boolean> offered = java.util.Map.of("always [madvise] never", true, "[always] madvise never", true,
                "always madvise [never]", false, "", false);
        offered.forEach((mode, expected) -> {
            assertThat(JvmFlags.offersHugePages(mode.isEmpty() ? "" : mode + "\n")).as(mode).isEqualTo(expected);
            assertThat(launcherHugePages(mode)).as(mode).isEqualTo(expected);
        });
        assertThat(launcherHugePages(null)).as("no sysfs file").isFalse();
        assertThat(JvmFlags.oneShot(2, true)).contains(JvmFlags.HUGE_PAGES);
        assertThat(JvmFlags.oneShot(2, false)).doesNotContain(JvmFlags.HUGE_PAGES);
        assertThat(JvmFlags.longRunning()).containsAll(JvmFlags.LONG_RUNNING);
        assertThat(JvmFlags.longRunning().contains(JvmFlags.HUGE_PAGES)).isEqualTo(JvmFlags.hugePages());
    }

    @Test
    void longRunningCommandsGetTheLaunchersFlags() {
        assertThat(launcherFlags("matrix\\|bench")).containsExactlyInAnyOrderElementsOf(JvmFlags.LONG_RUNNING);
        assertThat(JvmFlags.LONG_RUNNING).contains("-XX:NewRatio=8", "-XX:+UseParallelGC");
    }

    @Test
    void oneShotCommandsGetTheLaunchersFlags() {
        assertThat(launcherFlags("\\*")).containsExactlyInAnyOrderElementsOf(JvmFlags.ONE_SHOT);
        // and on one or two CPUs one compiler thread
        assertThat(flags("^\\s*if \\[ \"\\$cpus\" -ge 1 \\] && \\[ \"\\$cpus\" -le 2 \\]; then jvm=\"\\$jvm ([^\"]*)\"; fi"))
                .containsExactly(JvmFlags.FEW_CPUS);
        assertThat(JvmFlags.oneShot(2, false)).endsWith(JvmFlags.FEW_CPUS);
        assertThat(JvmFlags.oneShot(1, false)).endsWith(JvmFlags.FEW_CPUS);
        assertThat(JvmFlags.oneShot(4, false)).isEqualTo(JvmFlags.ONE_SHOT);
    }
}
