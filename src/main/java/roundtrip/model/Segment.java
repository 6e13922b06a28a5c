package roundtrip.model;

import java.util.List;

/** One L2 broadcast domain from topology.json; members are host:interface attachments. */
public record Segment(String name, List<Attachment> members) {
    public Segment { members = List.copyOf(members); }

    public record Attachment(String host, String iface) {
        @Override public String toString() { return host + ":" + iface; }
    }
}
