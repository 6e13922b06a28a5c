package roundtrip.model;

import java.util.List;

/** One L2 broadcast domain from topology.json; members are host:interface attachments. */
public record Segment(String name, List<Attachment> members) {
    public Segment { members = List.copyOf(members); }

    public record Attachment(String host, String iface) {
        @Override public String toString() { return host + ":" + iface; }

        // equals and hashCode written out (the record's own, same results): the generated ones are bootstrapped by
        // method handles on first use, milliseconds of a one-shot run (issue 13)
        @Override public boolean equals(Object o) {
            return o instanceof Attachment a && java.util.Objects.equals(host, a.host) && java.util.Objects.equals(iface, a.iface);
        }

        @Override public int hashCode() { return 31 * java.util.Objects.hashCode(host) + java.util.Objects.hashCode(iface); }
    }
}
