package roundtrip.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * The simple commands of a shell line as bash splits them (a wg-quick hook is run by `eval`): commands end at
 * ';', '&&', '||', '|', '&' and newlines; a '#' starting a word begins a comment; single quotes keep everything,
 * double quotes and backslashes keep blanks. Expansions ($VAR, $(...)) are left as written.
 */
public final class ShellWords {
    private ShellWords() {}

    public static List<List<String>> commands(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\'' ) {
                if (w == null) w = new StringBuilder();
                int end = text.indexOf('\'', i + 1);
                if (end < 0) end = n;
                w.append(text, i + 1, end);
                i = end;
            } else if (c == '"') {
                if (w == null) w = new StringBuilder();
                int j = i + 1;
                for (; j < n && text.charAt(j) != '"'; j++) {
                    if (text.charAt(j) == '\\' && j + 1 < n && "\"\\$`".indexOf(text.charAt(j + 1)) >= 0) j++;
                    w.append(text.charAt(j));
                }
                i = j;
            } else if (c == '\\' && i + 1 < n) {
                if (w == null) w = new StringBuilder();
                if (text.charAt(i + 1) != '\n') w.append(text.charAt(i + 1));
                i++;
            } else if (c == '#' && w == null) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end - 1;
            } else if (c == ';' || c == '&' || c == '|' || c == '\n') {
                if (w != null) { words.add(w.toString()); w = null; }
                if (!words.isEmpty()) out.add(words);
                words = new ArrayList<>();
                if (i + 1 < n && (c == '&' || c == '|') && text.charAt(i + 1) == c) i++;
            } else if (Character.isWhitespace(c)) {
                if (w != null) { words.add(w.toString()); w = null; }
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (w != null) words.add(w.toString());
        if (!words.isEmpty()) out.add(words);
        return out;
    }
}
