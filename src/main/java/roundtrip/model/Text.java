package roundtrip.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines, words and digits of text, as {@code split("\r?\n", -1)}, {@code split("\\s+")} and {@code matches("\\d+")}
 * find them, without a regular expression: every reader of input files and command output cuts its text here.
 * Every file of a snapshot is cut once per run, and compiling and interpreting the patterns in a cold JVM cost a
 * one-shot run more than reading the files did (issue 13).
 */
public final class Text {
    private Text() {}

    /** The lines of {@code text}: split at each "\n", a "\r" before it dropped; the last piece is kept even if empty. */
    public static String[] lines(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            int end = nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            out.add(text.substring(from, end));
            from = nl + 1;
        }
        out.add(text.substring(from));
        return out.toArray(new String[0]);
    }

    /**
     * The words of {@code s} between runs of whitespace (space, tab, newline, vertical tab, form feed, carriage
     * return: regex \s), as {@code s.split("\\s+")} gives them: an empty first word when {@code s} starts with
     * whitespace, no empty words at the end, and {@code [""]} for an empty {@code s}.
     */
    public static String[] words(String s) {
        if (s.isEmpty()) return new String[] {""};
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        if (isSpace(s.charAt(0))) {
            out.add("");
            while (i < n && isSpace(s.charAt(i))) i++;
        }
        while (i < n) {
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) i++;
            out.add(s.substring(start, i));
            while (i < n && isSpace(s.charAt(i))) i++;
        }
        if (out.size() == 1 && out.get(0).isEmpty()) return new String[0];   // all whitespace: split drops trailing empty words
        return out.toArray(new String[0]);
    }

    /** Whether {@code s} is one or more of 0-9. */
    public static boolean isAsciiDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** The characters of regex \s without UNICODE_CHARACTER_CLASS. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
