package roundtrip.netfilter.nft;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * nft's JSON as a Jackson tree, built from the streaming parser: the same nodes {@code ObjectMapper.readTree} gives,
 * without building an ObjectMapper, which costs a one-shot run a few hundred milliseconds of class loading.
 */
final class JsonTree {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {}

    /** The document's root; MissingNode for empty text. @throws JsonProcessingException on malformed JSON */
    static JsonNode read(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) return MissingNode.getInstance();
            JsonNode root = build(p);
            if (p.nextToken() != null) throw new JsonParseException(p, "unexpected data after the JSON value");
            return root;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // parsing a String does no I/O
        }
    }

    static ArrayNode array() { return NODES.arrayNode(); }

    static com.fasterxml.jackson.databind.node.ObjectNode object() { return NODES.objectNode(); }

    private static JsonNode build(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, build(p));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(build(p));
                return a;
            }
            case VALUE_STRING -> { return NODES.textNode(p.getText()); }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> { return NODES.numberNode(p.getDoubleValue()); }
            case VALUE_TRUE -> { return NODES.booleanNode(true); }
            case VALUE_FALSE -> { return NODES.booleanNode(false); }
            case VALUE_NULL -> { return NODES.nullNode(); }
            default -> throw new JsonParseException(p, "unexpected " + t);
        }
    }
}
