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

    @Test
    void everyCommandGetsHugePagesWhereTheKernelOffersThem() {
        assertThat(LAUNCHER).contains("read -r thp <" + JvmFlags.HUGE_PAGES_SYSFS);
        assertThat(flags("^case \"\\$thp\" in \\*\"\\[always\\]\"\\*\\|\\*\"\\[madvise\\]\"\\*\\) jvm=\"\\$jvm ([^\"]*)\" ;; esac"))
                .containsExactly(JvmFlags.HUGE_PAGES);
        assertThat(JvmFlags.offersHugePages("always [madvise] never\n")).isTrue();
        assertThat(JvmFlags.offersHugePages("[always] madvise never\n")).isTrue();
        assertThat(JvmFlags.offersHugePages("always madvise [never]\n")).isFalse();
        assertThat(JvmFlags.offersHugePages("")).isFalse();
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
