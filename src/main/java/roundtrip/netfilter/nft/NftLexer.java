package roundtrip.netfilter.nft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits nft text into tokens as nft's scanner.l does: longest match wins, so "10.0.0.1" is one address,
 * "br-lan" and "echo-request" are one word (words may hold '-', '/', '.' and '_'), "1h30m" is a time, "0x10" a
 * number, "fe80::1" and "[fe80::1]" an IPv6 address, "eth*" a wildcard name. A backslash before a newline joins
 * the lines; '#' starts a comment up to the end of the line. Newlines are tokens: they end statements as ';' does.
 */
final class NftLexer {
    enum Kind { WORD, QUOTED, PUNCT, NEWLINE, EOF }

    /** One token; {@code text} is the word, the string without quotes, or the operator. */
    record Token(Kind kind, String text, int line, int start, int end) {
        boolean is(String s) { return (kind == Kind.WORD || kind == Kind.PUNCT) && text.equals(s); }
        boolean isWord() { return kind == Kind.WORD; }
        boolean isValueWord() { return kind == Kind.WORD || kind == Kind.QUOTED; }
        boolean isEnd() { return kind == Kind.NEWLINE || kind == Kind.EOF || (kind == Kind.PUNCT && text.equals(";")); }
        @Override public String toString() {
            return switch (kind) {
                case QUOTED -> "\"" + text + "\"";
                case NEWLINE -> "end of line";
                case EOF -> "end of input";
                default -> text;
            };
        }
    }

    /** The tokens and, per line, the text of a trailing comment ("handle 12" of `nft -a list ruleset`). */
    record Result(List<Token> tokens, Map<Integer, String> comments) {}

    private static final String[] TWO_CHAR = {"==", "!=", "<=", ">=", "<<", ">>"};
    private static final String ONE_CHAR = ",.:;{}[]()^&|!/-*@$=+<>";
    /** words scanner.l turns into operators wherever they stand */
    private static final Map<String, String> WORD_OPERATORS = Map.ofEntries(Map.entry("eq", "=="), Map.entry("ne", "!="),
            Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("le", "<="), Map.entry("ge", ">="), Map.entry("and", "&"),
            Map.entry("or", "|"), Map.entry("xor", "^"), Map.entry("not", "!"), Map.entry("lshift", "<<"),
            Map.entry("rshift", ">>"));

    private static final Pattern IP4 = Pattern.compile("([0-9]{1,3}\\.){3}[0-9]{1,3}");
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{1,2}:){5}[0-9A-Fa-f]{1,2}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    // flex takes the longest match of the whole pattern: "30000ms" is milliseconds, not minutes and an "s"
    private static final Pattern TIME = Pattern.compile("([0-9]+d)?([0-9]+h)?([0-9]+m(?!s))?([0-9]+s)?([0-9]+ms)?");
    /** scanner.l's own words that start with a digit */
    private static final Pattern DIGIT_WORDS = Pattern.compile("8021q|8021ad");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9A-Fa-f]+");
    private static final Pattern DEC = Pattern.compile("[0-9]+");
    private static final Pattern CLASSID = Pattern.compile("[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}(?=[ \\t\\n:\\-},])");
    private static final Pattern STRING = Pattern.compile("[A-Za-z_.][A-Za-z0-9/\\-_.]*");
    private static final Pattern ASTERISK = Pattern.compile("[A-Za-z_.][A-Za-z0-9/\\-_.]*(\\*|\\\\\\*[A-Za-z0-9/\\-_.]*)|\\\\\\*");

    private NftLexer() {}

    /** @throws NftSyntax for a string without its closing quote */
    static Result lex(String text) {
        List<Token> out = new ArrayList<>();
        Map<Integer, String> comments = new HashMap<>();
        int line = 1, i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f') { i++; continue; }
            if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') { i++; continue; }
            if (c == '\n') {
                out.add(new Token(Kind.NEWLINE, "\n", line, i, i + 1));
                line++;
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < n && (text.charAt(i + 1) == '\n' || (text.charAt(i + 1) == '\r' && i + 2 < n && text.charAt(i + 2) == '\n'))) {
                i += text.charAt(i + 1) == '\r' ? 3 : 2;
                line++;
                continue;
            }
            if (c == '#') {
                int end = text.indexOf('\n', i);
                if (end < 0) end = n;
                comments.put(line, text.substring(i + 1, end).strip());
                i = end;
                continue;
            }
            if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) throw new NftSyntax(line, "a string opened with \" is not closed");
                String s = text.substring(i + 1, end);
                out.add(new Token(Kind.QUOTED, s, line, i, end + 1));
                for (int k = i; k < end; k++) if (text.charAt(k) == '\n') line++;
                i = end + 1;
                continue;
            }
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (close > i + 1) {
                    String inside = text.substring(i + 1, close);
                    if (isIpv6(inside)) {
                        out.add(new Token(Kind.WORD, inside, line, i, close + 1));
                        i = close + 1;
                        continue;
                    }
                }
            }
            String word = longestWord(text, i);
            if (word != null) {
                String operator = WORD_OPERATORS.get(word);
                out.add(operator != null ? new Token(Kind.PUNCT, operator, line, i, i + word.length())
                        : new Token(Kind.WORD, word, line, i, i + word.length()));
                i += word.length();
                continue;
            }
            String op = null;
            for (String two : TWO_CHAR) if (text.startsWith(two, i)) { op = two; break; }
            if (op == null && ONE_CHAR.indexOf(c) >= 0) op = String.valueOf(c);
            if (op == null) throw new NftSyntax(line, "unexpected character '" + c + "'");
            out.add(new Token(Kind.PUNCT, op, line, i, i + op.length()));
            i += op.length();
        }
        out.add(new Token(Kind.EOF, "", line, n, n));
        return new Result(out, comments);
    }

    /** The longest of nft's word-like tokens at {@code i}; on equal length the rule listed first in scanner.l wins. */
    private static String longestWord(String text, int i) {
        String best = null;
        best = longer(best, match(IP4, text, i));
        best = longer(best, match(MAC, text, i));
        best = longer(best, ipv6At(text, i));
        best = longer(best, match(TIME, text, i));
        best = longer(best, match(HEX, text, i));
        best = longer(best, match(DEC, text, i));
        best = longer(best, match(DIGIT_WORDS, text, i));
        best = longer(best, match(CLASSID, text, i));
        best = longer(best, match(ASTERISK, text, i));
        best = longer(best, match(STRING, text, i));
        return best;
    }

    private static String longer(String a, String b) {
        if (b == null || b.isEmpty()) return a;
        return a == null || b.length() > a.length() ? b : a;
    }

    private static String match(Pattern p, String text, int i) {
        Matcher m = p.matcher(text).region(i, text.length());
        return m.lookingAt() ? m.group() : null;
    }

    private static String ipv6At(String text, int i) {
        String run = match(V6_CHARS, text, i);
        if (run == null || run.indexOf(':') < 0) return null;
        for (int len = run.length(); len >= 2; len--) {
            String s = run.substring(0, len);
            if (isIpv6(s)) return s;
        }
        return null;
    }

    /** An IPv6 literal as inet_pton accepts it (with an embedded dotted IPv4 tail allowed). */
    static boolean isIpv6(String s) {
        if (s.isEmpty() || s.chars().anyMatch(ch -> !(Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.'))) return false;
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return false;
        String[] groups = s.split(":", -1);
        int count = 0;
        for (int g = 0; g < groups.length; g++) {
            String part = groups[g];
            if (part.isEmpty()) continue;
            if (part.contains(".")) {
                if (g != groups.length - 1 || !IP4.matcher(part).matches()) return false;
                for (String o : part.split("\\.")) if (Integer.parseInt(o) > 255) return false;
                count += 2;
                continue;
            }
            if (part.length() > 4) return false;
            count++;
        }
        if (dbl >= 0) {
            // "::" stands for at least one zero group; empty parts around it are its own
            if (s.startsWith(":") && !s.startsWith("::")) return false;
            if (s.endsWith(":") && !s.endsWith("::")) return false;
            return count <= 7;
        }
        if (s.startsWith(":") || s.endsWith(":")) return false;
        return count == 8;
    }
}
