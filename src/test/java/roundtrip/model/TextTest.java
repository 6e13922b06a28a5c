package roundtrip.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Text cuts lines and words and finds digits exactly as the regular expressions it replaces did. */
class TextTest {
    @Property(tries = 2000)
    void linesAsSplitAtOptionalCarriageReturnAndNewline(@ForAll("texts") String text) {
        assertThat(Text.lines(text)).containsExactly(text.split("\r?\n", -1));
    }

    @Property(tries = 2000)
    void wordsAsSplitAtWhitespaceRuns(@ForAll("texts") String text) {
        assertThat(Text.words(text)).containsExactly(text.split("\\s+"));
    }

    @Property(tries = 2000)
    void digitsAsTheDigitPattern(@ForAll("numbers") String text) {
        assertThat(Text.isAsciiDigits(text)).isEqualTo(text.matches("\\d+"));
    }

    @Test
    void edges() {
        assertThat(Text.lines("")).containsExactly("");
        assertThat(Text.lines("a\r\n")).containsExactly("a", "");
        assertThat(Text.lines("a\rb\r")).containsExactly("a\rb\r");
        assertThat(Text.lines("\r\n\n")).containsExactly("", "", "");
        assertThat(Text.words("")).containsExactly("");
        assertThat(Text.words(" \t ")).isEmpty();
        assertThat(Text.words(" a  b ")).containsExactly("", "a", "b");
        assertThat(Text.words("a\u00a0b")).containsExactly("a\u00a0b");   // no-break space is not \s
    }

    /** Short strings of digits and near misses: a sign, a space, an Arabic-Indic digit, a letter. */
    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.strings().withChars('0', '5', '9', '-', ' ', '\u0661', 'a').ofMaxLength(5);
    }

    /** Short strings over the characters that matter: every \s character, a near miss, and letters. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars(' ', '\t', '\n', '\u000b', '\f', '\r', '\u00a0', 'a', 'b', '#').ofMaxLength(12);
    }
}
