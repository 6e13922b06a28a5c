package roundtrip.importer;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.InputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One value of a YAML document with the line it was written at; typed accessors fail as {@link InputException}
 * naming file:line. Scalars are text (see {@link LocatedYaml}).
 */
final class YamlNode {
    private final LocatedYaml doc;
    private final JsonNode node;
    private final int line;
    private final String what;

    YamlNode(LocatedYaml doc, JsonNode node, int line, String what) {
        this.doc = doc;
        this.node = node;
        this.line = line;
        this.what = what;
    }

    static YamlNode root(LocatedYaml doc) { return new YamlNode(doc, doc.root(), doc.line(doc.root(), 1), "the file"); }

    LocatedYaml doc() { return doc; }
    int line() { return line; }
    String what() { return what; }
    boolean isNull() { return node == null || node.isNull(); }
    boolean isMap() { return node != null && node.isObject(); }
    boolean isList() { return node != null && node.isArray(); }
    boolean isScalar() { return node != null && node.isTextual(); }

    InputException error(String message) { return doc.error(line, message); }

    InputException error(roundtrip.model.Message message) { return doc.error(line, message); }

    /** The scalar text; an error for a map or list or null. */
    String text() {
        if (!isScalar()) throw error(what + " must be a single value");
        return node.asText();
    }

    /** Entries of a map, in file order, each with the line of its key. */
    List<Map.Entry<String, YamlNode>> entries() {
        if (isNull()) return List.of();
        if (!isMap()) throw error(what + " must be a map (key: value)");
        List<Map.Entry<String, YamlNode>> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int keyLine = doc.fieldLine(node, e.getKey(), line);
            out.add(Map.entry(e.getKey(), new YamlNode(doc, e.getValue(), keyLine, "\"" + e.getKey() + "\"")));
        }
        return out;
    }

    /** Elements of a list; a single scalar or map counts as a list of one. */
    List<YamlNode> items() {
        if (isNull()) return List.of();
        if (!isList()) return List.of(this);
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++)
            out.add(new YamlNode(doc, node.get(i), doc.elementLine(node, i, line), what + " item " + (i + 1)));
        return out;
    }

    /** A field of a map, or null when absent. */
    YamlNode get(String field) {
        if (!isMap()) return null;
        JsonNode v = node.get(field);
        return v == null ? null : new YamlNode(doc, v, doc.fieldLine(node, field, line), "\"" + field + "\"");
    }

    String string(String field) {
        YamlNode v = get(field);
        return v == null || v.isNull() ? null : v.text();
    }

    /** Fails on a key outside {@code allowed}, naming the line of the key. */
    void onlyKeys(Set<String> allowed) {
        for (Map.Entry<String, YamlNode> e : entries())
            if (!allowed.contains(e.getKey()))
                throw doc.error(e.getValue().line(), "unknown key \"" + e.getKey() + "\" in " + what
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
    }

    JsonNode json() { return node; }

    /** Line where the text of this scalar begins (the line after "key: |" for a block). */
    int textLine() { return doc.scalarTextLine(line); }
}
