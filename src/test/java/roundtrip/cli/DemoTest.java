package roundtrip.cli;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Test;
import roundtrip.fix.VerbatimTexts;
import roundtrip.fix.Why;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.lab.Lab;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.UntranslatedEnglish;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the bundled story, broken, why, fixed, and (as root) proven on a real kernel. */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
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
        assertThat(r.out()).contains("根因").contains("修复方案").contains("应答丢失，位于 isp（转发）");
        Path example = Path.of(DemoCommand.EXAMPLE);
        Network net = SnapshotLoader.load(example.resolve("snapshot"));
        List<Probe> probes = ProbeReader.readLocated(example.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        Why why = new Why(net);
        List<Why.Result> results = probes.stream().map(p -> why.explain(p, probes)).toList();
        assertThat(new UntranslatedEnglish(VerbatimTexts.of(net, results)).offending(r.out())).isEmpty();
    }
}
