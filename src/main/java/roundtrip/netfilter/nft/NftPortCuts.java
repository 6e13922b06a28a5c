package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.Packet;
import roundtrip.netfilter.PortCuts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The port ranges an nftables ruleset compares packets with ({@link PortCuts}), read from its rules as data (nft's
 * JSON): `tcp|udp|th sport|dport` and `ct original|reply proto-src|proto-dst` compared with a value, a range, an
 * anonymous or named set, the port part of a concatenation (`ip daddr . tcp dport @svc`), and the keys of maps and
 * verdict maps looked up by a port (`tcp dport vmap { 22 : accept }`, `dnat to tcp dport map { ... }`).
 */
final class NftPortCuts {
    /** A port field on the left of a comparison or a map's key: the component of a concatenation (-1: the whole key). */
    private record PortField(int component, int proto) {}

    private final Map<String, JsonNode> namedSets = new HashMap<>();
    private final PortCuts cuts;

    private NftPortCuts(PortCuts cuts) { this.cuts = cuts; }

    static void add(JsonNode items, PortCuts cuts) {
        NftPortCuts w = new NftPortCuts(cuts);
        for (JsonNode item : items)
            for (String kind : new String[] {"set", "map"}) {
                JsonNode s = item.get(kind);
                if (s != null) w.namedSets.put(key(s.path("family").asText(), s.path("table").asText(), s.path("name").asText()), s);
            }
        for (JsonNode item : items) {
            JsonNode rule = item.get("rule");
            if (rule != null) w.visit(rule.path("expr"), rule.path("family").asText(), rule.path("table").asText());
        }
    }

    private static String key(String family, String table, String name) { return family + " " + table + " " + name; }

    private void visit(JsonNode n, String family, String table) {
        if (n.isArray()) {
            for (JsonNode c : n) visit(c, family, table);
            return;
        }
        if (!n.isObject()) return;
        JsonNode match = n.get("match");
        if (match != null) {
            List<PortField> fields = portFields(match.path("left"));
            if (!fields.isEmpty()) constants(match.path("right"), fields, family, table);
        }
        for (String kind : new String[] {"map", "vmap"}) {
            JsonNode m = n.get(kind);
            if (m == null || !m.has("key")) continue;
            List<PortField> fields = portFields(m.get("key"));
            if (fields.isEmpty()) continue;
            JsonNode data = m.path("data");
            if (data.isTextual()) constants(data, fields, family, table);   // @named map
            else for (JsonNode pair : data.path("set")) constants(pair.isArray() ? pair.get(0) : pair, fields, family, table);
        }
        n.fields().forEachRemaining(e -> visit(e.getValue(), family, table));
    }

    private static List<PortField> portFields(JsonNode left) {
        List<PortField> out = new ArrayList<>();
        if (left.has("concat")) {
            JsonNode parts = left.get("concat");
            for (int i = 0; i < parts.size(); i++) {
                Integer proto = portProto(parts.get(i));
                if (proto != null) out.add(new PortField(i, proto));
            }
        } else {
            Integer proto = portProto(left);
            if (proto != null) out.add(new PortField(-1, proto));
        }
        return out;
    }

    /** The protocol whose ports {@code n} reads (0: any with ports), or null when it is not a port. */
    private static Integer portProto(JsonNode n) {
        JsonNode p = n.get("payload");
        if (p != null) {
            String field = p.path("field").asText();
            if (!field.equals("sport") && !field.equals("dport")) return null;
            return switch (p.path("protocol").asText()) {
                case "tcp" -> Packet.TCP;
                case "udp" -> Packet.UDP;
                case "th" -> 0;
                default -> null;   // sctp, dccp: not probed
            };
        }
        JsonNode ct = n.get("ct");
        if (ct != null && (ct.path("key").asText().equals("proto-src") || ct.path("key").asText().equals("proto-dst"))) return 0;
        return null;
    }

    private void constants(JsonNode v, List<PortField> fields, String family, String table) {
        if (v.isArray()) {
            for (JsonNode e : v) constants(e, fields, family, table);
        } else if (v.isObject() && v.has("set")) {
            constants(v.get("set"), fields, family, table);
        } else if (v.isObject() && v.has("elem")) {
            constants(v.get("elem").has("val") ? v.get("elem").get("val") : v.get("elem"), fields, family, table);
        } else if (v.isObject() && v.has("concat")) {
            for (PortField f : fields)
                if (f.component() >= 0 && f.component() < v.get("concat").size())
                    constants(v.get("concat").get(f.component()), List.of(new PortField(-1, f.proto())), family, table);
        } else if (v.isTextual() && v.asText().startsWith("@")) {
            JsonNode set = namedSets.get(key(family, table, v.asText().substring(1)));
            if (set == null) cuts.unknown(roundtrip.model.Message.of(Sentences.PORT_SET_MISSING, v.asText(), family + " " + table));
            else for (JsonNode e : set.path("elem")) constants(e.isArray() && set.has("map") ? e.get(0) : e, fields, family, table);
        } else {
            int proto = fields.get(0).proto();
            if (fields.size() > 1 || fields.get(0).component() >= 0) {
                // a whole concatenated key compared with something that is not a concatenation
                cuts.unknown(roundtrip.model.Message.of(Sentences.PORT_IN_CONCATENATION, v));
            } else if (v.isIntegralNumber()) {
                cuts.port(proto, v.asInt());
            } else if (v.isObject() && v.has("range") && v.get("range").size() == 2 && v.get("range").get(0).isIntegralNumber()) {
                cuts.range(proto, v.get("range").get(0).asInt(), v.get("range").get(1).asInt());
            } else {
                cuts.unknown(roundtrip.model.Message.of(Sentences.PORT_COMPARED_WITH, v));
            }
        }
    }
}
