package roundtrip.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The whole network: hosts by name and the L2 segments that join their interfaces. */
public final class Network {
    private final Map<String, Host> hosts;
    private final List<Segment> segments;

    public Network(List<Host> hosts, List<Segment> segments) {
        Map<String, Host> byName = new LinkedHashMap<>();
        for (Host h : hosts) byName.put(h.name(), h);
        this.hosts = Collections.unmodifiableMap(byName);
        this.segments = List.copyOf(segments);
    }

    public Map<String, Host> hosts() { return hosts; }
    public Host host(String name) { return hosts.get(name); }
    public List<Segment> segments() { return segments; }

    /** The other hosts' attachments on the link(s) {@code host}'s {@code dev} is attached to (its neighbours there). */
    public List<Segment.Attachment> peersOn(String host, String dev) {
        Segment.Attachment self = new Segment.Attachment(host, dev);
        List<Segment.Attachment> out = new java.util.ArrayList<>();
        for (Segment s : segments)
            if (s.members().contains(self))
                for (Segment.Attachment m : s.members()) if (!m.host().equals(host) && !out.contains(m)) out.add(m);
        return out;
    }
}
