package roundtrip.netfilter.nft;

import roundtrip.netfilter.Pkt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import roundtrip.model.InputException;
import roundtrip.netfilter.Hook;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Truncated and type-confused nft.json only ever gives an InputException naming the file, or a ruleset. */
class NftGarbledInputTest {
    static final String FW4 = NftFixtures.resource("fw4-two-zone.json");
    static final String ZOO = NftFixtures.resource("zoo.json");
    static final ObjectMapper JSON = new ObjectMapper();

    static void onlyInputException(String text) {
        try {
            NftRuleset rs = NftJsonReader.parse("h/nft.json", text);
            // whatever was read must also run
            for (Hook h : Hook.values()) for (var c : rs.chains(h)) c.evaluate(Pkt.tcp("192.168.1.5", "8.8.8.8", 443).in("br-lan").out("wan").hook(h).ctx());
        } catch (InputException e) {
            assertThat(e.file()).isEqualTo("h/nft.json");
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("com.fasterxml");
        }
    }

    @Property(tries = 300)
    void truncated(@ForAll @IntRange(min = 0, max = 20000) int cut, @ForAll boolean zoo) {
        String text = zoo ? ZOO : FW4;
        onlyInputException(text.substring(0, Math.min(cut, text.length())));
    }

    @Property(tries = 500)
    void typeConfused(@ForAll long seed, @ForAll boolean zoo) throws Exception {
        Random random = new Random(seed);
        JsonNode root = JSON.readTree(zoo ? ZOO : FW4);
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            JsonNode target = containers.get(random.nextInt(containers.size()));
            JsonNode replacement = randomValue(random);
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                o.set(names.get(random.nextInt(names.size())), replacement);
            } else if (target instanceof ArrayNode a && a.size() > 0) {
                a.set(random.nextInt(a.size()), replacement);
            }
        }
        onlyInputException(root.toString());
    }

    static void collect(JsonNode n, List<JsonNode> out) {
        if (!n.isContainerNode()) return;
        out.add(n);
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) collect(it.next(), out);
    }

    static JsonNode randomValue(Random r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (r.nextInt(7)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(r.nextInt(70000) - 5);
            case 2 -> f.textNode(List.of("", "@nowhere", "wan", "10.0.0.0", "fe80::1", "established", "jump").get(r.nextInt(7)));
            case 3 -> f.arrayNode();
            case 4 -> f.objectNode();
            case 5 -> f.booleanNode(r.nextBoolean());
            default -> f.objectNode().set(List.of("match", "payload", "meta", "set", "range", "prefix", "concat", "jump").get(r.nextInt(8)), f.objectNode());
        };
    }
}
