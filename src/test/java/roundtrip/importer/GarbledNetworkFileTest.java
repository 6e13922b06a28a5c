package roundtrip.importer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import roundtrip.model.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Garbled network files (and the UCI text inside them) only ever give an InputException naming the file. */
class GarbledNetworkFileTest {
    static final Path DIR = Path.of("src/test/resources/netfile");
    static final List<String> SAMPLES = List.of(read("s1-fixed.yaml"), read("s11-openwrt-fixed.yaml"));
    /** Characters that mean something to YAML, to ip route/rule, to UCI or to iptables. */
    static final String SIGNIFICANT = ":-[]{},|>#'\"!&*?%@` \t\n/.0123456789x+abcz";

    static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void onlyInputException(String text) {
        try {
            NetworkFileReader.parse("net.yaml", text, DIR);
        } catch (InputException e) {
            assertThat(e.file()).isEqualTo("net.yaml");
            assertThat(e.line()).isGreaterThanOrEqualTo(0);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("com.fasterxml");
        }
    }

    @Property(tries = 400)
    void truncated(@ForAll @IntRange(min = 0, max = 1) int sample, @ForAll @IntRange(min = 0, max = 100_000) int at) {
        String s = SAMPLES.get(sample);
        onlyInputException(s.substring(0, at % (s.length() + 1)));
    }

    @Property(tries = 1500)
    void charactersReplaced(@ForAll @IntRange(min = 0, max = 1) int sample, @ForAll("edits") List<int[]> edits) {
        StringBuilder s = new StringBuilder(SAMPLES.get(sample));
        for (int[] e : edits) {
            int at = e[0] % s.length();
            s.setCharAt(at, SIGNIFICANT.charAt(e[1] % SIGNIFICANT.length()));
        }
        onlyInputException(s.toString());
    }

    @Property(tries = 800)
    void linesDeletedOrRepeated(@ForAll @IntRange(min = 0, max = 1) int sample, @ForAll("edits") List<int[]> edits) {
        List<String> lines = new ArrayList<>(List.of(SAMPLES.get(sample).split("\n", -1)));
        for (int[] e : edits) {
            int at = e[0] % lines.size();
            if (e[1] % 2 == 0) lines.remove(at);
            else lines.add(at, lines.get((e[1] / 2) % lines.size()));
            if (lines.isEmpty()) break;
        }
        onlyInputException(String.join("\n", lines));
    }

    @Property(tries = 300)
    void wordsSwapped(@ForAll @IntRange(min = 0, max = 1) int sample, @ForAll("edits") List<int[]> edits) {
        List<String> words = new ArrayList<>(List.of(SAMPLES.get(sample).split(" ", -1)));
        for (int[] e : edits) {
            int a = e[0] % words.size(), b = e[1] % words.size();
            String t = words.get(a);
            words.set(a, words.get(b));
            words.set(b, t);
        }
        onlyInputException(String.join(" ", words));
    }

    @Property(tries = 200)
    void arbitraryText(@ForAll("garbage") String text) {
        onlyInputException(text);
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(2)
                .map(l -> new int[] {l.get(0), l.get(1)});
        return edit.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.strings().withChars(SIGNIFICANT).ofMaxLength(300);
    }
}
