package roundtrip.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reports' JSON is written by the streaming generator, without an ObjectMapper (issue 13): byte for byte what an
 * ObjectMapper with default settings writes, indented and on one line, for every kind of node a report holds.
 */
class JsonTest {
    @Test
    void writesWhatAnObjectMapperWrites() throws Exception {
        ObjectNode o = Json.object();
        o.put("text", "quote \" backslash \\ tab \t newline \n 中文 \u0001");
        o.put("int", 42).put("negative", -7).put("long", 1L << 40).put("double", 0.25).put("yes", true).put("no", false);
        o.put("decimal", new BigDecimal("1.50"));
        o.putNull("nothing");
        o.putObject("empty");
        o.putArray("none");
        ArrayNode a = o.putArray("list");
        a.add("x").add(1).addNull().addObject().put("k", "v");
        a.addArray().add(Json.array()).add(Json.object());
        ObjectMapper mapper = new ObjectMapper();
        assertThat(Json.pretty(o)).isEqualTo(mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        assertThat(Json.compact(o)).isEqualTo(mapper.writeValueAsString(o));
        assertThat(Json.pretty(a)).isEqualTo(mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(a));
    }
}
