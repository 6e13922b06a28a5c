package roundtrip.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares the simulator's JSON output (design §2) with what the real kernel did. */
final class SimulatorComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimulatorComparison() {}

    /** One message per probe where verdict, request.delivered or (tcp, when measured) data.delivered differ. */
    static List<String> mismatches(List<ProbeResult> real, Map<String, JsonNode> simulated) {
        List<String> mismatches = new ArrayList<>();
        for (ProbeResult r : real) {
            JsonNode s = simulated.get(r.id());
            if (s == null) {
                mismatches.add(r.id() + ": no result from the simulator");
                continue;
            }
            String both = "\n    real:      " + r.toJson() + "\n    simulated: " + s;
            String verdict = s.path("verdict").asText(null);
            JsonNode delivered = s.path("request").path("delivered");
            if (!r.verdict().equals(verdict))
                mismatches.add(r.id() + ": verdict real " + r.verdict() + ", simulated " + verdict + both);
            else if (!delivered.isBoolean() || delivered.asBoolean() != r.requestDelivered())
                mismatches.add(r.id() + ": request.delivered real " + r.requestDelivered() + ", simulated " + delivered + both);
            else if (r.dataDelivered() != null) {
                JsonNode data = s.path("data").path("delivered");
                if (!data.isBoolean() || data.asBoolean() != r.dataDelivered())
                    mismatches.add(r.id() + ": data.delivered real " + r.dataDelivered() + ", simulated " + data + both);
            }
        }
        return mismatches;
    }

    /** Accepts a JSON array, an object holding the array ("results"/"probes"), or one object per line. */
    static Map<String, JsonNode> resultsById(String text) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        // Reads every top-level value, so one document and one object per line both work.
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                JsonNode root = values.nextValue();
                if (root.isArray()) root.forEach(objects::add);
                else if (root.has("results")) root.get("results").forEach(objects::add);
                else if (root.has("probes")) root.get("probes").forEach(objects::add);
                else objects.add(root);
            }
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode o : objects)
            if (o.hasNonNull("id")) byId.put(o.get("id").asText(), o);
        return byId;
    }
}
