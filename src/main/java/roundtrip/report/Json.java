package roundtrip.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON trees of the reports and their text. Trees come from the node factory; the ObjectMapper that writes
 * them is built on the first JSON output only, as building one costs a text-only run a few hundred milliseconds.
 */
final class Json {
    private Json() {}

    static ObjectNode object() { return JsonNodeFactory.instance.objectNode(); }

    static ArrayNode array() { return JsonNodeFactory.instance.arrayNode(); }

    /** Indented, as the reports have always been printed. */
    static String pretty(JsonNode node) { return write(Writers.PRETTY, node); }

    /** On one line (JSON lines). */
    static String compact(JsonNode node) { return write(Writers.COMPACT, node); }

    private static String write(ObjectWriter w, JsonNode node) {
        try {
            return w.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain nodes always serializes
        }
    }

    /** Initialised on first use (class initialisation is lazy and thread-safe). */
    private static final class Writers {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final ObjectWriter PRETTY = MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);
        static final ObjectWriter COMPACT = MAPPER.writer();
    }
}
