package roundtrip.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON trees of the reports and their text. Trees come from the node factory and are written by the streaming
 * generator, as an ObjectMapper writes them (its default pretty printer), without building one: that costs a
 * one-shot run tens of milliseconds of class loading and locale data (issue 13).
 */
final class Json {
    private Json() {}

    static ObjectNode object() { return JsonNodeFactory.instance.objectNode(); }

    static ArrayNode array() { return JsonNodeFactory.instance.arrayNode(); }

    /** Indented, as the reports have always been printed. */
    static String pretty(JsonNode node) { return write(node, true); }

    /** On one line (JSON lines). */
    static String compact(JsonNode node) { return write(node, false); }

    private static String write(JsonNode node, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Factory.FACTORY.createGenerator(out)) {
            if (pretty) g.useDefaultPrettyPrinter();
            writeTree(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to a string does no I/O
        }
        return out.toString();
    }

    /**
     * What the nodes' own serialize does under an ObjectMapper with default settings; objects, arrays and null are
     * written here as their serialize asks a serializer provider (which only an ObjectMapper makes) for settings.
     */
    private static void writeTree(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                g.writeFieldName(field.getKey());
                writeTree(g, field.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) writeTree(g, element);
            g.writeEndArray();
        } else if (node.isNull()) {
            g.writeNull();
        } else {
            ((ValueNode) node).serialize(g, null);   // text, numbers, booleans: written without settings
        }
    }

    /** Initialised on first use (class initialisation is lazy and thread-safe). */
    private static final class Factory {
        static final JsonFactory FACTORY = JsonFactory.builder().build();
    }
}
