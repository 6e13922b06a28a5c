package roundtrip.netfilter.iptables;

import roundtrip.model.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one iptables-save line into words the way iptables-restore does: whitespace separates, double quotes
 * group (iptables-save quotes comments and log prefixes), and inside quotes a backslash escapes the next character.
 */
final class Tokenizer {
    private Tokenizer() {}

    static List<String> split(String line, String file, int lineNo) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) throw new InputException(file, lineNo, "unterminated quote");
        if (inWord) words.add(word.toString());
        return words;
    }
}
