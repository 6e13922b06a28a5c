package roundtrip.fix;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.report.UntranslatedEnglish;
import roundtrip.report.WhyReport;
import roundtrip.report.Zh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `why --lang zh` on every story snapshot, every probe: no line may keep an English phrase. What stays as written
 * (routes and rules as `ip` prints them, the fixes' commands, the quoted configuration lines, and whatever the
 * output puts in backticks or quotes, such as daemon log messages) is not English to translate. The warnings about
 * the configuration printed before the report are held to the same.
 */
class WhyChineseTest {

    static Stream<String> stories() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("src/test/resources/why"))) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("snapshot"))).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("stories")
    void everyLineReadsInChinese(String story) {
        StoryFixture s = new StoryFixture(story);
        List<String> offending = new ArrayList<>();
        for (Probe p : s.probes) {
            Why.Result w = s.why.explain(p, s.probes);
            String text = WhyReport.text(w, s.net, "zh");
            for (String line : new UntranslatedEnglish(VerbatimTexts.of(s.net, List.of(w))).offending(text))
                offending.add(p.id() + ": " + line);
        }
        // the warnings printed before the report (configuration that does not add up), as `why --lang zh` prints them
        List<Problem> warnings = new ArrayList<>(s.why.simulator().problems());
        s.net.hosts().values().forEach(h -> warnings.addAll(h.problems()));
        for (Problem w : warnings) {
            String run = new UntranslatedEnglish(List.of()).find(Zh.text(w.message()));
            if (run != null) offending.add("warning: " + Zh.text(w.message()) + "   <-- \"" + run + "\"");
        }
        assertThat(offending).as("untranslated English in `why --lang zh` on " + story + ":\n" + String.join("\n", offending)).isEmpty();
    }
}
