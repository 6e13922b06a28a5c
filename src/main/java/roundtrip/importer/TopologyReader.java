package roundtrip.importer;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Segment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads topology.json: {"segments": [{"name": "lan", "members": ["router:br-lan", "nas:eth0"]}]} and checks
 * every member against the hosts (interface names cannot contain ':', so the last ':' splits host and
 * interface).
 */
public final class TopologyReader {
    private TopologyReader() {}

    /** A member as written, with its line, before it is checked against the hosts. */
    public record Member(String host, String iface, int line) {}

    /** A segment as written. */
    public record SegmentSpec(String name, int line, List<Member> members) {}

    public static List<SegmentSpec> read(String file, String text) {
        LocatedJson doc = LocatedJson.parse(file, text);
        if (!doc.root().isObject()) throw doc.error(doc.root(), "expected a JSON object with \"segments\"");
        JsonObject top = new JsonObject(doc, doc.root(), 1);
        JsonNode segments = doc.root().get("segments");
        if (segments == null || segments.isNull()) return List.of();
        if (!segments.isArray()) throw top.error("\"segments\" must be an array");
        List<SegmentSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonObject s : JsonObject.objects(doc, segments, top.line())) {
            String name = s.requiredString("name");
            if (name.isEmpty()) throw s.error("empty segment name");
            if (!names.add(name)) throw s.error("segment \"" + name + "\" defined twice");
            JsonNode members = s.node().get("members");
            if (members == null || !members.isArray()) throw s.error("segment \"" + name + "\" needs a \"members\" array");
            List<Member> list = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                JsonNode m = members.get(i);
                int line = doc.elementLine(members, i, s.line());
                if (!m.isTextual()) throw InputErrors.at(file, line, "a member must be a \"host:interface\" string");
                String memberText = m.asText();
                int colon = memberText.lastIndexOf(':');
                if (colon <= 0 || colon == memberText.length() - 1)
                    throw InputErrors.at(file, line, "member \"" + memberText + "\" is not host:interface");
                list.add(new Member(memberText.substring(0, colon), memberText.substring(colon + 1), line));
            }
            out.add(new SegmentSpec(name, s.line(), list));
        }
        return out;
    }

    /** Checks members against the hosts and builds the segments. */
    public static List<Segment> resolve(String file, List<SegmentSpec> specs, Map<String, Host> hosts) {
        List<Segment> out = new ArrayList<>();
        for (SegmentSpec spec : specs) {
            List<Segment.Attachment> members = new ArrayList<>();
            for (Member m : spec.members()) {
                Host h = hosts.get(m.host());
                if (h == null)
                    throw InputErrors.at(file, m.line(), "segment \"" + spec.name() + "\": unknown host \"" + m.host() + "\"");
                if (h.iface(m.iface()) == null)
                    throw InputErrors.at(file, m.line(), "segment \"" + spec.name() + "\": host " + m.host()
                            + " has no interface \"" + m.iface() + "\"");
                Segment.Attachment a = new Segment.Attachment(m.host(), m.iface());
                if (!members.contains(a)) members.add(a);
            }
            out.add(new Segment(spec.name(), members));
        }
        return out;
    }
}
