package roundtrip.importer;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.InputException;
import roundtrip.model.Ip4;

import java.util.ArrayList;
import java.util.List;

/**
 * One JSON object of an input file with typed accessors that fail as {@link InputException} naming the file
 * and the line where the object starts (never a NullPointerException or ClassCastException).
 */
final class JsonObject {
    private final LocatedJson doc;
    private final JsonNode node;
    private final int line;

    JsonObject(LocatedJson doc, JsonNode node, int fallbackLine) {
        this.doc = doc;
        this.node = node;
        this.line = doc.line(node, fallbackLine);
    }

    /** Each element of {@code array}, which must be an object ("expected a JSON object" otherwise). */
    static List<JsonObject> objects(LocatedJson doc, JsonNode array, int fallbackLine) {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (!e.isObject()) throw InputErrors.at(doc.file(), doc.elementLine(array, i, fallbackLine), "expected a JSON object");
            out.add(new JsonObject(doc, e, fallbackLine));
        }
        return out;
    }

    String file() { return doc.file(); }
    int line() { return line; }
    JsonNode node() { return node; }

    InputException error(String message) { return InputErrors.at(doc.file(), line, message); }

    boolean has(String field) { return node.has(field); }

    /** Line of a field (where its value starts when that is known, else where the object starts). */
    int fieldLine(String field) { return doc.line(node.get(field), line); }

    /** Null when absent or JSON null; the text when a string; an error for any other JSON type. */
    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.asText();
        if (v.isNumber()) return v.asText();   // tolerate numbers where iproute2 sometimes prints strings
        throw error("\"" + field + "\" must be a string");
    }

    String requiredString(String field) {
        String s = string(field);
        if (s == null) throw error("missing \"" + field + "\"");
        return s;
    }

    /** Null when absent; an integer (or a string holding one) otherwise. */
    Long integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (v.canConvertToLong() && v.isIntegralNumber()) return v.longValue();
        if (v.isTextual()) {
            try { return parseNumber(v.asText()); } catch (NumberFormatException e) { /* fall through */ }
        }
        throw error("\"" + field + "\" must be an integer, not " + v);
    }

    int intValue(String field, int dflt) {
        Long v = integer(field);
        if (v == null) return dflt;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error("\"" + field + "\" out of range: " + v);
        return v.intValue();
    }

    boolean bool(String field) {
        JsonNode v = node.get(field);
        return v != null && v.asBoolean(false);
    }

    /** The strings of an array field; empty when absent. */
    List<String> strings(String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) throw error("\"" + field + "\" must be an array");
        for (JsonNode e : v) {
            if (!e.isTextual()) throw error("\"" + field + "\" must hold strings");
            out.add(e.asText());
        }
        return out;
    }

    /** The objects of an array field; empty when absent. */
    List<JsonObject> objects(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw error("\"" + field + "\" must be an array");
        return objects(doc, v, line);
    }

    /** A nested object, or null when absent. */
    JsonObject object(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw error("\"" + field + "\" must be an object");
        return new JsonObject(doc, v, line);
    }

    /** An IPv4 address field, null when absent. */
    Integer ip4(String field) {
        String s = string(field);
        return s == null ? null : ip4Value(s);
    }

    int ip4Value(String text) {
        try { return Ip4.parse(text); } catch (IllegalArgumentException e) {
            throw error("not an IPv4 address: " + text);
        }
    }

    /** Decimal or 0x-hex, as iproute2 prints marks, masks and tos. */
    static long parseNumber(String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseLong(t.substring(2), 16);
        return Long.parseLong(t);
    }
}
