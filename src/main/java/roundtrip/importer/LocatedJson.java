package roundtrip.importer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.model.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A JSON document parsed into a Jackson tree that remembers, for every object and array (and every string
 * value), the line where it starts — so errors and {@link roundtrip.model.Source}s can name file:line.
 * Malformed JSON becomes an {@link InputException} at the line Jackson stopped on.
 */
public final class LocatedJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String file;
    private final JsonNode root;
    private final Map<JsonNode, Integer> lines;
    private final Map<ElementKey, Integer> elementLines;

    /** An array (by identity) and an index in it. */
    private record ElementKey(JsonNode array, int index) {
        @Override public boolean equals(Object o) {
            return o instanceof ElementKey k && k.array == array && k.index == index;
        }

        @Override public int hashCode() { return System.identityHashCode(array) * 31 + index; }
    }

    private LocatedJson(String file, JsonNode root, Map<JsonNode, Integer> lines, Map<ElementKey, Integer> elementLines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
        this.elementLines = elementLines;
    }

    /** Reads and parses a file; {@code file} is the name used in messages. */
    public static LocatedJson read(Path path, String file) {
        return parse(file, readText(path, file));
    }

    /** Parses JSON text; {@code file} is the name used in messages. */
    public static LocatedJson parse(String file, String text) {
        Map<JsonNode, Integer> lines = new IdentityHashMap<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw InputErrors.at(file, 1, "empty file: expected JSON");
            Map<ElementKey, Integer> elementLines = new java.util.HashMap<>();
            JsonNode root = build(p, lines, elementLines, file);
            if (p.nextToken() != null)
                throw InputErrors.at(file, line(p.currentTokenLocation()), "unexpected data after the JSON value");
            return new LocatedJson(file, root, lines, elementLines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw InputErrors.at(file, line, "malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw InputErrors.at(file, 0, "cannot read JSON: " + firstLine(e.getMessage()));
        }
    }

    /** The file content as UTF-8 (undecodable bytes replaced, never an exception); missing file → InputException. */
    public static String readText(Path path, String file) {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw InputErrors.at(file, 0, "file not found");
        } catch (IOException e) {
            throw InputErrors.at(file, 0, "cannot read: " + firstLine(e.getMessage()));
        }
    }

    public String file() { return file; }
    public JsonNode root() { return root; }

    /** Line where this object, array or string starts; {@code fallback} for nodes without a recorded line. */
    public int line(JsonNode node, int fallback) {
        Integer l = node == null ? null : lines.get(node);
        return l == null ? fallback : l;
    }

    /** Line where element {@code index} of {@code array} starts (numbers, booleans and null included). */
    public int elementLine(JsonNode array, int index, int fallback) {
        Integer l = elementLines.get(new ElementKey(array, index));
        return l == null ? fallback : l;
    }

    /** The root as an array, or an InputException "expected a JSON array". */
    public ArrayNode rootArray() {
        if (!root.isArray()) throw InputErrors.at(file, line(root, 1), "expected a JSON array");
        return (ArrayNode) root;
    }

    /** An error at the line of {@code node}. */
    public InputException error(JsonNode node, String message) {
        return InputErrors.at(file, line(node, 0), message);
    }

    // Builds the tree from the token at the parser's current position; containers and strings are fresh
    // instances, so an identity map can hold their lines (number/boolean/null nodes may be shared singletons).
    private static JsonNode build(JsonParser p, Map<JsonNode, Integer> lines, Map<ElementKey, Integer> elementLines,
                                  String file) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                lines.put(o, line);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, build(p, lines, elementLines, file));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                lines.put(a, line);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elementLines.put(new ElementKey(a, a.size()), line(p.currentTokenLocation()));
                    a.add(build(p, lines, elementLines, file));
                }
                return a;
            }
            case VALUE_STRING -> {
                JsonNode s = new com.fasterxml.jackson.databind.node.TextNode(p.getText());
                lines.put(s, line);
                return s;
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> { return NODES.numberNode(p.getDecimalValue()); }
            case VALUE_TRUE -> { return NODES.booleanNode(true); }
            case VALUE_FALSE -> { return NODES.booleanNode(false); }
            case VALUE_NULL -> { return NODES.nullNode(); }
            default -> throw InputErrors.at(file, line, "malformed JSON: unexpected " + t);
        }
    }

    private static int line(JsonLocation loc) { return loc == null ? 0 : Math.max(0, loc.getLineNr()); }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
