package roundtrip.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sentence for people, as data: which sentence ({@link Id}) and the values that fill it. The layers below `report`
 * say what happened with a Message; `report` puts it in English or in Chinese, where Zh looks the id up and never
 * reads the English. A message without an id is {@link #text text shown as written} in every language: a daemon's log
 * line, an error the operating system printed, an input's own words.
 *
 * <p>An id's English template names its values in braces, {@code {dev} is down}; the values are given in the order
 * their names first appear. A value that is itself a Message is rendered in the same language, a {@link Term} is
 * translated as a word, a {@link RouteText} is quoted as a route, anything else is written with {@code toString}.
 */
public record Message(Id id, List<Object> args, String text) {
    /** One sentence of a layer (each layer lists its own in an enum): its English, with {@code {name}} for each value. */
    public interface Id {
        String name();

        String english();

        /** The key the Chinese catalogue files the sentence under: the layer's package and the constant ("kernel.DEV_DOWN"). */
        default String key() {
            String pkg = getClass().getPackageName();
            return pkg.substring(pkg.lastIndexOf('.') + 1) + "." + name();
        }
    }

    /** A word the report translates by itself (a stage of the packet path). */
    public interface Term {
        String word();

        /** A term by its word (equal terms are equal, so messages that hold them compare equal). */
        static Term of(String word) { return new Word(word); }
    }

    private record Word(String word) implements Term {
        // equals and hashCode as the record's own, written out: see Message
        @Override public boolean equals(Object o) { return o instanceof Word w && Objects.equals(word, w.word); }

        @Override public int hashCode() { return Objects.hashCode(word); }
    }

    /**
     * A route as `ip route` prints it, and the policy rule that chose its table when that is not a default one (else
     * null); {@code route} null when the lookup found none.
     */
    public record RouteText(String route, String viaRule) {
        public static final RouteText NONE = new RouteText(null, null);

        @Override public String toString() {
            return route == null ? "no route" : viaRule == null ? route : route + " (via rule " + viaRule + ")";
        }

        // equals and hashCode as the record's own, written out: see Message
        @Override public boolean equals(Object o) {
            return o instanceof RouteText r && Objects.equals(route, r.route) && Objects.equals(viaRule, r.viaRule);
        }

        @Override public int hashCode() { return Objects.hashCode(route) * 31 + Objects.hashCode(viaRule); }
    }

    private static final Pattern NAME = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");
    private static final Map<String, List<String>> NAMES = new ConcurrentHashMap<>();

    public Message {
        args = args == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(args));
        if (id == null) Objects.requireNonNull(text, "a message without an id needs its text");
    }

    /** The sentence {@code id} filled with {@code args}, one per name of its template in order of first appearance. */
    public static Message of(Id id, Object... args) {
        int names = names(id.english()).size();
        if (names != args.length)
            throw new IllegalArgumentException(id.key() + " takes " + names + " value(s), given " + args.length);
        return new Message(id, Arrays.asList(args), null);
    }

    /** Text shown as it is written, in every language (a log line, an error the system printed, an input's words). */
    public static Message text(String text) { return text == null ? null : new Message(null, List.of(), text); }

    /** The names of a template's values, in order of first appearance. */
    public static List<String> names(String template) {
        return NAMES.computeIfAbsent(template, t -> {
            List<String> out = new ArrayList<>();
            Matcher m = NAME.matcher(t);
            while (m.find()) if (!out.contains(m.group(1))) out.add(m.group(1));
            return List.copyOf(out);
        });
    }

    /**
     * {@code template} (whose names are those of this message's English) with each {@code {name}} replaced by its value
     * as {@code render} writes it.
     */
    public String fill(String template, Function<Object, String> render) {
        List<String> names = names(id.english());
        Matcher m = NAME.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = names.indexOf(m.group(1));
            if (i < 0) throw new IllegalArgumentException(id.key() + ": {" + m.group(1) + "} is not one of " + names);
            m.appendReplacement(out, Matcher.quoteReplacement(render.apply(args.get(i))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The sentence in English. */
    public String english() {
        return id == null ? text : fill(id.english(), Message::englishOf);
    }

    private static String englishOf(Object value) {
        if (value instanceof Message m) return m.english();
        if (value instanceof Term t) return t.word();
        return String.valueOf(value);
    }

    @Override public String toString() { return english(); }

    // equals and hashCode written out (the record's own, same results): the generated ones are bootstrapped by
    // method handles on first use, milliseconds of a one-shot run (issue 13)
    @Override public boolean equals(Object o) {
        return o instanceof Message m && Objects.equals(id, m.id) && Objects.equals(args, m.args) && Objects.equals(text, m.text);
    }

    @Override public int hashCode() { return (Objects.hashCode(id) * 31 + Objects.hashCode(args)) * 31 + Objects.hashCode(text); }
}
