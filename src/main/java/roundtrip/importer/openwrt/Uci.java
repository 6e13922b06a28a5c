package roundtrip.importer.openwrt;

import roundtrip.model.InputException;
import roundtrip.model.Source;
import roundtrip.model.Text;

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

    /**
     * One "config" section; {@code name} is null for an anonymous section. Options and lists are kept as libuci keeps
     * them: an option given again replaces the earlier value (a list too), a list item after an option of the same name
     * turns it into a list that starts with the option's value, and an empty option is no option.
     */
    public static final class Section {
        public final String type;
        public final String name;
        public final int line;
        /** option name -> its value, or the items of a list (a List&lt;Value&gt;) */
        final Map<String, Object> entries = new LinkedHashMap<>();

        Section(String type, String name, int line) {
            this.type = type;
            this.name = name;
            this.line = line;
        }

        /** The option's value; null when absent or a list. */
        public Value option(String key) { return entries.get(key) instanceof Value v ? v : null; }

        public String get(String key) {
            Value v = option(key);
            return v == null ? null : v.text();
        }

        public String get(String key, String dflt) {
            String v = get(key);
            return v == null ? dflt : v;
        }

        /** True when the key was given as a list (list KEY 'VALUE'). */
        public boolean isList(String key) { return entries.get(key) instanceof List; }

        /** A list's items as written; an option given instead counts as a list split at spaces and tabs (fw4's to_array). */
        @SuppressWarnings("unchecked")
        public List<Value> list(String key) {
            Object e = entries.get(key);
            if (e instanceof List<?> l) return (List<Value>) l;
            if (!(e instanceof Value v)) return List.of();
            List<Value> out = new ArrayList<>();
            for (String part : v.text().trim().split("[ \t]+")) if (!part.isEmpty()) out.add(new Value(part, v.line()));
            return out;
        }

        /** Where the key was written: the option's line, the first list item's line; -1 when absent. */
        public int lineOf(String key) {
            Object e = entries.get(key);
            if (e instanceof Value v) return v.line();
            if (e instanceof List<?> l && !l.isEmpty()) return ((Value) l.get(0)).line();
            return -1;
        }

        public boolean has(String key) { return entries.containsKey(key); }

        public Iterable<String> keys() { return List.copyOf(entries.keySet()); }

        public boolean flag(String key, boolean dflt) {
            String v = get(key);
            if (v == null) return dflt;
            return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "1", "on", "true", "yes", "enabled" -> true;
                default -> false;
            };
        }

        public String label() { return name != null ? type + " '" + name + "'" : type; }

        void option(String key, Value v) {
            if (v.text().isEmpty()) entries.remove(key);
            else entries.put(key, v);
        }

        @SuppressWarnings("unchecked")
        void listItem(String key, Value v) {
            Object e = entries.get(key);
            List<Value> l;
            if (e instanceof List<?> existing) {
                l = (List<Value>) existing;
            } else {
                l = new ArrayList<>();
                if (e instanceof Value old) l.add(old);
                entries.put(key, l);
            }
            l.add(v);
        }
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
        return withChanged(section, c -> {
            int old = section.lineOf(key);
            c.entries.remove(key);
            c.option(key, new Value(value, old > 0 ? old : section.line));
        });
    }

    /** This configuration as `uci add_list` leaves it: {@code value} appended to list {@code key} of {@code section}. */
    public Uci withListItem(Section section, String key, String value) {
        return withChanged(section, c -> c.listItem(key, new Value(value, section.line)));
    }

    /** A copy of every section, {@code change} applied to the copy of {@code section}. */
    private Uci withChanged(Section section, java.util.function.Consumer<Section> change) {
        if (!sections.contains(section)) throw new IllegalArgumentException(section.label() + " is not a section of " + file);
        List<Section> copy = new ArrayList<>();
        for (Section s : sections) {
            Section c = new Section(s.type, s.name, s.line);
            for (Map.Entry<String, Object> e : s.entries.entrySet())
                c.entries.put(e.getKey(), e.getValue() instanceof List<?> l ? new ArrayList<>(l) : e.getValue());
            if (s == section) change.accept(c);
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
        String[] lines = Text.lines(text);
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
                    if (w.get(0).equals("option")) current.option(w.get(1), v);
                    else current.listItem(w.get(1), v);
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
