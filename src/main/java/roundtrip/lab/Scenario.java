package roundtrip.lab;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network to build for real in namespaces: hosts (shell setup, sysctls, an iptables-restore text, an nft text,
 * listening services), L2 segments joining host interfaces, and probes with the verdict the real kernel
 * is claimed to give.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Scenario {
    public String description = "";
    public Map<String, HostSpec> hosts = new LinkedHashMap<>();
    /** Segment name to members "host:ifname". */
    public Map<String, List<String>> segments = new LinkedHashMap<>();
    public List<ProbeSpec> probes = new ArrayList<>();
    /** File name without extension, filled in by {@link #load}. */
    public String name = "";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class HostSpec {
        /** Shell commands run inside the host's namespace, one per line, after its interfaces exist. */
        public String setup = "";
        /** Applied before {@link #setup}; keys as in sysctl.conf. */
        public Map<String, Object> sysctl = new LinkedHashMap<>();
        /** Fed to iptables-restore after setup. */
        public String iptables = "";
        /** Fed to {@code nft -f -} after iptables, e.g. a fw4 ruleset. */
        public String nft = "";
        /** Services started before the snapshot, as "tcp/22" or "udp/53". */
        public List<String> listen = new ArrayList<>();
        /** Files of the snapshot's saved/ directory (what survives a reboot), by name, e.g. iptables-rules.v4. */
        public Map<String, String> saved = new LinkedHashMap<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class ProbeSpec {
        public String id;
        public String from;
        public String src;
        public String to;
        public String proto;
        public Integer dport;
        public String target;
        /** The real kernel's verdict this scenario claims: ROUND_TRIP_OK, REQUEST_LOST or REPLY_LOST. */
        public String expect;
        /** Port the request has when it reaches the target (after a port-changing DNAT); default dport. */
        public Integer targetPort;
        /** For tcp: whether to run the data phase after the handshake (default true). */
        public Boolean data;
        /** Optional claim about the tcp data phase, checked against the real kernel when given. */
        public Boolean expectData;

        public boolean wantsData() { return data == null || data; }
        public int portAtTarget() { return targetPort != null ? targetPort : dport; }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static Scenario load(Path file) {
        Scenario scenario;
        try {
            scenario = YAML.readValue(file.toFile(), Scenario.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        scenario.name = fileName.replaceFirst("\\.ya?ml$", "");
        scenario.validate(file);
        return scenario;
    }

    private void validate(Path file) {
        if (hosts == null) hosts = new LinkedHashMap<>();
        hosts.replaceAll((k, v) -> v == null ? new HostSpec() : v);
        for (var segment : segments.entrySet()) {
            for (String member : segment.getValue()) {
                String[] parts = member.split(":", 2);
                if (parts.length != 2 || parts[1].isEmpty())
                    throw new IllegalArgumentException(file + ": segment " + segment.getKey() + ": member '" + member + "' is not host:ifname");
                if (!hosts.containsKey(parts[0]))
                    throw new IllegalArgumentException(file + ": segment " + segment.getKey() + ": unknown host " + parts[0]);
            }
            if (segment.getValue().size() < 2)
                throw new IllegalArgumentException(file + ": segment " + segment.getKey() + " needs at least 2 members");
        }
        for (ProbeSpec p : probes) {
            if (p.id == null || p.from == null || p.to == null || p.proto == null)
                throw new IllegalArgumentException(file + ": probe needs id, from, to and proto");
            if (!hosts.containsKey(p.from)) throw new IllegalArgumentException(file + ": probe " + p.id + ": unknown host " + p.from);
            if (p.target != null && !hosts.containsKey(p.target))
                throw new IllegalArgumentException(file + ": probe " + p.id + ": unknown target " + p.target);
            if (!List.of("icmp", "tcp", "udp").contains(p.proto))
                throw new IllegalArgumentException(file + ": probe " + p.id + ": proto must be icmp, tcp or udp");
            if (!p.proto.equals("icmp") && p.dport == null)
                throw new IllegalArgumentException(file + ": probe " + p.id + ": " + p.proto + " needs dport");
            if (p.expect != null && !List.of("ROUND_TRIP_OK", "REQUEST_LOST", "REPLY_LOST").contains(p.expect))
                throw new IllegalArgumentException(file + ": probe " + p.id + ": bad expect " + p.expect);
        }
    }
}
