package roundtrip.importer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import roundtrip.model.InputException;
import roundtrip.model.Text;

import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A YAML document parsed into a Jackson tree that remembers the line of every mapping key, every sequence
 * element and every container, from the YAML parser's token locations (as {@link LocatedJson} does for JSON).
 * Scalars of every type are kept as text, so "1", "yes" and "0x10" reach the readers as written. Duplicate keys
 * are an error (YAML forbids them, and a silently overwritten host would be a wrong answer).
 */
public final class LocatedYaml {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deeper than any network file needs; stops pathological input before the stack does. */
    private static final int MAX_DEPTH = 64;
    /** A line ending in a block scalar indicator: "key: |", "- >-", "key: |2 # comment". */
    private static final Pattern BLOCK_INDICATOR = Pattern.compile(".*[:\\-]\\s+[|>][-+0-9]*\\s*(#.*)?$|^\\s*[|>][-+0-9]*\\s*$");

    private final String file;
    private final String[] textLines;
    private final JsonNode root;
    private final Map<JsonNode, Integer> containerLines = new IdentityHashMap<>();
    private final Map<Key, Integer> keyLines = new HashMap<>();

    /** A field of an object or an element of an array, the container compared by identity. */
    private record Key(JsonNode container, String field, int index) {
        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.container == container && k.index == index && java.util.Objects.equals(k.field, field);
        }

        @Override public int hashCode() { return System.identityHashCode(container) * 31 + (field == null ? index : field.hashCode()); }
    }

    private LocatedYaml(String file, String text) {
        this.file = file;
        this.textLines = Text.lines(text);
        this.root = parseRoot(text);
    }

    /** @throws InputException naming file:line for malformed YAML */
    public static LocatedYaml parse(String file, String text) {
        return new LocatedYaml(file, text);
    }

    public String file() { return file; }
    public JsonNode root() { return root; }

    /** Line where a mapping or sequence starts; {@code fallback} when unknown. */
    public int line(JsonNode container, int fallback) {
        Integer l = containerLines.get(container);
        return l == null ? fallback : l;
    }

    /** Line of the key {@code field} in {@code object}. */
    public int fieldLine(JsonNode object, String field, int fallback) {
        Integer l = keyLines.get(new Key(object, field, -1));
        return l == null ? fallback : l;
    }

    /** Line of element {@code index} of {@code array}. */
    public int elementLine(JsonNode array, int index, int fallback) {
        Integer l = keyLines.get(new Key(array, null, index));
        return l == null ? fallback : l;
    }

    /**
     * The line where the text of a scalar written at {@code valueLine} begins: the next line for a block scalar
     * ("iptables: |"), the same line otherwise. Embedded configuration (iptables-save, UCI, wg) is numbered from
     * there, so its errors and rules point at lines of the YAML file.
     */
    public int scalarTextLine(int valueLine) {
        if (valueLine < 1 || valueLine > textLines.length) return valueLine;
        return BLOCK_INDICATOR.matcher(textLines[valueLine - 1]).matches() ? valueLine + 1 : valueLine;
    }

    public InputException error(int line, String message) { return InputErrors.at(file, line, message); }

    public InputException error(int line, roundtrip.model.Message message) { return InputErrors.at(file, line, message); }

    private JsonNode parseRoot(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw InputErrors.at(file, 1, "empty file: expected YAML");
            JsonNode r = build(p, 0);
            if (p.nextToken() != null)
                throw InputErrors.at(file, line(p.currentTokenLocation()), "more than one YAML document");
            return r;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) throw inWords(m);
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw InputErrors.at(file, line, "malformed YAML: " + LocatedJson.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw InputErrors.at(file, 0, "cannot read YAML: " + LocatedJson.firstLine(e.getMessage()));
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            // the YAML library signals some malformed input with its own unchecked exceptions
            throw InputErrors.at(file, 0, "malformed YAML: " + LocatedJson.firstLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The YAML parser's complaint in the words of the mistake people make: a tab, a line that does not line up,
     * a bracket or quote never closed; at the line where it is (the problem's), naming the line it started at.
     */
    private InputException inWords(MarkedYAMLException m) {
        String problem = String.valueOf(m.getProblem());
        String context = m.getContext() == null ? "" : m.getContext();
        int at = m.getProblemMark().getLine() + 1;
        int from = m.getContextMark() == null ? at : m.getContextMark().getLine() + 1;
        String words;
        if (problem.contains("\\t") || problem.contains("\t") || problem.contains("(TAB)"))
            words = "a tab character: YAML indents with spaces only (replace the tab by spaces)";
        else if (problem.startsWith("expected <block end>"))
            words = "inconsistent indentation: this line does not line up with the " + (context.contains("mapping") ? "keys of the map"
                    : "items of the list") + " that starts at line " + from + " (entries of one map or list start in the same column)";
        else if (problem.startsWith("mapping values are not allowed"))
            words = "a ':' where no key can start: a missing space after a ':' before it, a value holding ': ' that needs quotes, "
                    + "or inconsistent indentation";
        // never closed: the line to fix is the one that opened it
        else if (context.contains("flow mapping") && problem.contains("<stream end>")) { words = "a '{' here is never closed by '}'"; at = from; }
        else if (context.contains("flow mapping")) words = "inside the '{...}' opened at line " + from + ": expected ',' or '}' here";
        else if (context.contains("flow sequence") && problem.contains("<stream end>")) { words = "a '[' here is never closed by ']'"; at = from; }
        else if (context.contains("flow sequence")) words = "inside the '[...]' opened at line " + from + ": expected ',' or ']' here";
        else if (context.contains("quoted scalar") && problem.contains("end of stream")) { words = "a quotation mark here is never closed"; at = from; }
        else if (context.contains("simple key") && problem.contains("could not find expected ':'")) {
            words = "line " + from + " is neither \"key: value\" nor a list item (a missing ':'? text of a block scalar indented less than its key?)";
            at = from;
        }
        else
            words = "malformed YAML: " + problem + (context.isEmpty() ? "" : " (" + context + " at line " + from + ")");
        return InputErrors.at(file, at, words);
    }

    private JsonNode build(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p.currentTokenLocation());
        if (depth > MAX_DEPTH) throw InputErrors.at(file, line, "YAML nested deeper than " + MAX_DEPTH + " levels");
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                containerLines.put(o, line);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    if (o.has(name))
                        throw InputErrors.at(file, keyLine, "a duplicate key: \"" + name + "\" is already at line "
                                + keyLines.get(new Key(o, name, -1)) + " (YAML allows a key once per map)");
                    p.nextToken();
                    keyLines.put(new Key(o, name, -1), keyLine);
                    o.set(name, build(p, depth + 1));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                containerLines.put(a, line);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) throw InputErrors.at(file, line, "malformed YAML: unterminated sequence");
                    keyLines.put(new Key(a, null, a.size()), line(p.currentTokenLocation()));
                    a.add(build(p, depth + 1));
                }
                return a;
            }
            case VALUE_NULL -> { return NODES.nullNode(); }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new TextNode(p.getText());
            }
            default -> throw InputErrors.at(file, line, "malformed YAML: unexpected " + t);
        }
    }

    private static int line(JsonLocation loc) { return loc == null ? 0 : Math.max(0, loc.getLineNr()); }
}
