package roundtrip.importer.openwrt;

import roundtrip.model.InputException;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenWrt UCI configuration file (/etc/config/*): "config TYPE ['NAME']" sections holding "option KEY 'VALUE'"
 * and "list KEY 'VALUE'" lines, with shell-like quoting and # comments. Every value keeps its line.
 */
public final class Uci {
    /** A value and where it was written. */
    public record Value(String text, int line) {}

    /** One "config" section; {@code name} is null for an anonymous section. */
    public static final class Section {
        public final String type;
        public final String name;
        public final int line;
        final Map<String, Value> options = new LinkedHashMap<>();
        final Map<String, List<Value>> lists = new LinkedHashMap<>();

        Section(String type, String name, int line) {
            this.type = type;
            this.name = name;
            this.line = line;
        }

        public Value option(String key) { return options.get(key); }

        public String get(String key) {
            Value v = options.get(key);
            return v == null ? null : v.text();
        }

        public String get(String key, String dflt) {
            String v = get(key);
            return v == null ? dflt : v;
        }

        /** A list's values; an option given instead of a list counts as a list split at spaces (as fw4 reads it). */
        public List<Value> list(String key) {
            List<Value> l = lists.get(key);
            if (l != null) return l;
            Value v = options.get(key);
            if (v == null) return List.of();
            List<Value> out = new ArrayList<>();
            for (String part : v.text().trim().split("\\s+")) if (!part.isEmpty()) out.add(new Value(part, v.line()));
            return out;
        }

        public boolean has(String key) { return options.containsKey(key) || lists.containsKey(key); }

        public Iterable<String> keys() {
            List<String> k = new ArrayList<>(options.keySet());
            k.addAll(lists.keySet());
            return k;
        }

        public boolean flag(String key, boolean dflt) {
            String v = get(key);
            if (v == null) return dflt;
            return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "1", "on", "true", "yes", "enabled" -> true;
                default -> false;
            };
        }

        public String label() { return name != null ? type + " '" + name + "'" : type; }
    }

    private final String file;
    private final List<Section> sections;

    private Uci(String file, List<Section> sections) {
        this.file = file;
        this.sections = sections;
    }

    public String file() { return file; }
    public List<Section> sections() { return sections; }

    public List<Section> sections(String type) {
        return sections.stream().filter(s -> s.type.equals(type)).toList();
    }

    public Source source(int line, String text) { return new Source(file, line, text); }

    public InputException error(int line, String message) { return new InputException(file, line, message); }

    /**
     * This configuration as `uci set` leaves it: {@code section} (one of this file's) with option {@code key} set to
     * {@code value}, at the line of the option it replaces, else at the section's line. The other sections are the same.
     */
    public Uci withOption(Section section, String key, String value) {
        if (!sections.contains(section)) throw new IllegalArgumentException(section.label() + " is not a section of " + file);
        List<Section> copy = new ArrayList<>();
        for (Section s : sections) {
            Section c = new Section(s.type, s.name, s.line);
            c.options.putAll(s.options);
            for (Map.Entry<String, List<Value>> e : s.lists.entrySet()) c.lists.put(e.getKey(), List.copyOf(e.getValue()));
            if (s == section) {
                Value old = s.options.get(key);
                c.lists.remove(key);
                c.options.put(key, new Value(value, old != null ? old.line() : s.line));
            }
            copy.add(c);
        }
        return new Uci(file, copy);
    }

    /**
     * @param firstLine line of {@code file} where {@code text} starts (text embedded in a YAML file)
     * @throws InputException naming file:line for lines that are not UCI
     */
    public static Uci parse(String file, String text, int firstLine) {
        List<Section> sections = new ArrayList<>();
        Section current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = firstLine + i;
            List<String> w = words(lines[i], file, lineNo);
            if (w.isEmpty()) continue;
            switch (w.get(0)) {
                case "package" -> { }
                case "config" -> {
                    if (w.size() < 2 || w.size() > 3) throw new InputException(file, lineNo, "expected: config TYPE ['NAME']");
                    current = new Section(w.get(1), w.size() == 3 ? w.get(2) : null, lineNo);
                    sections.add(current);
                }
                case "option", "list" -> {
                    if (current == null) throw new InputException(file, lineNo, w.get(0) + " before any config section");
                    if (w.size() != 3) throw new InputException(file, lineNo, "expected: " + w.get(0) + " KEY 'VALUE'");
                    Value v = new Value(w.get(2), lineNo);
                    if (w.get(0).equals("option")) current.options.put(w.get(1), v);
                    else current.lists.computeIfAbsent(w.get(1), k -> new ArrayList<>()).add(v);
                }
                default -> throw new InputException(file, lineNo, "not a UCI line (config, option, list): " + abbreviate(lines[i].strip()));
            }
        }
        return new Uci(file, sections);
    }

    /** Splits a line like the shell: 'single' and "double" quotes, backslash escapes, # starts a comment. */
    private static List<String> words(String line, String file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < line.length()) cur.append(line.charAt(++i));
                else cur.append(c);
                continue;
            }
            if (c == '#' && cur == null) break;
            if (Character.isWhitespace(c)) {
                if (cur != null) { out.add(cur.toString()); cur = null; }
                continue;
            }
            if (cur == null) cur = new StringBuilder();
            if (c == '\'' || c == '"') quote = c;
            else if (c == '\\' && i + 1 < line.length()) cur.append(line.charAt(++i));
            else cur.append(c);
        }
        if (quote != 0) throw new InputException(file, lineNo, "unterminated quote");
        if (cur != null) out.add(cur.toString());
        return out;
    }

    static String abbreviate(String s) { return s.length() > 80 ? s.substring(0, 77) + "..." : s; }
}
