package roundtrip.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds English left in Chinese output. A line is untranslated when, after removing what must stay as written,
 * it still holds three or more English words in a row. A word is letters only (an apostrophe-s allowed): tokens
 * with digits, dots, slashes, dashes, underscores or equals signs are names of things (eth0, net.ipv4.ip_forward,
 * rp_filter, /etc/..., missing-return-route) and break a run. What must stay as written: spans in backticks or
 * quotes (commands, rule text, daemon log messages), and the verbatim texts the caller passes (route and rule
 * texts as `ip` prints them, the commands of the fixes, the configuration lines quoted as evidence).
 */
public final class UntranslatedEnglish {
    private static final Pattern QUOTED = Pattern.compile("`[^`]*`|\"[^\"]*\"|“[^”]*”|「[^」]*」");
    /** Everything that is not part of an ASCII token separates tokens: CJK text and punctuation, spaces, brackets. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_./=$:'+-]+");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+(?:'s)?:?");
    public static final int RUN = 3;

    private final List<String> verbatim;

    public UntranslatedEnglish(Collection<String> verbatim) {
        this.verbatim = new ArrayList<>(verbatim.stream().filter(s -> s != null && !s.isBlank()).distinct().toList());
        // the longest first, so a route text is removed whole before a shorter text inside it
        this.verbatim.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** The first run of English words in the line, or null. */
    public String find(String line) {
        String rest = line;
        for (String v : verbatim) if (rest.contains(v)) rest = rest.replace(v, " ¤ ");
        rest = QUOTED.matcher(rest).replaceAll(" ¤ ");
        Matcher t = TOKEN.matcher(rest);
        List<String> run = new ArrayList<>();
        int lastEnd = -1;
        while (t.find()) {
            String token = t.group();
            // a word continues the run only when nothing but ASCII spaces and punctuation stands between it and the
            // one before: Chinese text between two words ends the run
            boolean adjacent = lastEnd >= 0 && rest.substring(lastEnd, t.start()).matches("[ ,;()]*");
            boolean word = WORD.matcher(token).matches();
            if (!word || !adjacent) run.clear();
            if (word) run.add(token);
            if (run.size() >= RUN) return String.join(" ", run);
            lastEnd = t.end();
        }
        return null;
    }

    /** Every line of {@code text} with untranslated English, as "line  <-- run". */
    public List<String> offending(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String run = find(line);
            if (run != null) out.add(line + "   <-- \"" + run + "\"");
        }
        return out;
    }
}
