package roundtrip.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.model.InputException;
import roundtrip.model.Ip4;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProbeReaderTest {
    @TempDir Path tmp;

    static String fails(String text) {
        InputException e = catchThrowableOfType(() -> ProbeReader.parse("probes.json", text), InputException.class);
        assertThat(e).as("an InputException").isNotNull();
        return e.oneLine();
    }

    @Test
    void readsTheDesignExampleFromAFile() throws IOException {
        Path f = tmp.resolve("probes.json");
        Files.writeString(f, "[{\"id\": \"ssh-vm\", \"from\": \"office-pc\", \"src\": \"10.1.1.6\", \"to\": \"192.168.78.19\",\n"
                + "  \"proto\": \"tcp\", \"dport\": 22, \"target\": \"nas-vm\", \"comment\": \"ignored\"}]");
        List<Probe> probes = ProbeReader.read(f);
        assertThat(probes).containsExactly(new Probe("ssh-vm", "office-pc", Ip4.parse("10.1.1.6"),
                Ip4.parse("192.168.78.19"), Packet.TCP, 22, "nas-vm", null));
    }

    @Test
    void defaults() {
        List<ProbeReader.LocatedProbe> probes = ProbeReader.parse("p.json",
                "[\n {\"from\": \"a\", \"to\": \"10.0.0.1\"},\n {\"from\": \"b\", \"to\": \"10.0.0.2\", \"proto\": \"UDP\", \"dport\": \"53\","
                        + " \"expect\": \"reply_lost\"}\n]");
        Probe first = probes.get(0).probe();
        assertThat(first.id()).isEqualTo("probe-1");
        assertThat(first.proto()).isEqualTo(Packet.ICMP);
        assertThat(first.src()).isNull();
        assertThat(first.target()).isNull();
        assertThat(first.expect()).isNull();
        assertThat(probes.get(0).source().line()).isEqualTo(2);
        Probe second = probes.get(1).probe();
        assertThat(second.id()).isEqualTo("probe-2");
        assertThat(second.proto()).isEqualTo(Packet.UDP);
        assertThat(second.dport()).isEqualTo(53);
        assertThat(second.expect()).isEqualTo("REPLY_LOST");
        assertThat(probes.get(1).source().toString()).isEqualTo("p.json:3: b -> 10.0.0.2 udp/53");
    }

    @Test
    void aKeyOneEditAwayFromAKnownOneIsATypoOthersAreIgnored() {
        assertThat(fails("[\n {\"id\": \"x\",\n  \"form\": \"a\",\n  \"to\": \"10.0.0.1\"}]")).isEqualTo("probes.json:3: unknown key "
                + "\"form\" in a probe: did you mean \"from\"? (keys: id, from, src, to, proto, dport, target, expect; others are ignored)");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"proto\": \"tcp\", \"dprot\": 22}]")).contains("\"dprot\"", "\"dport\"");
        assertThat(fails("[{\"From\": \"a\", \"to\": \"10.0.0.1\"}]")).contains("did you mean \"from\"");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"targt\": \"b\"}]")).contains("did you mean \"target\"");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"expected\": \"REPLY_LOST\"}]")).contains("did you mean \"expect\"");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"protocol\": \"tcp\"}]")).contains("did you mean \"proto\"");
        // a tool's own keys are ignored, as design §1c says
        assertThat(ProbeReader.parse("p.json", "[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"comment\": \"x\", \"owner\": \"ops\","
                + " \"ticket\": 42}]")).hasSize(1);
        assertThat(ProbeReader.oneEditApart("form", "from")).isTrue();
        assertThat(ProbeReader.oneEditApart("expected", "expect")).isFalse();
        assertThat(ProbeReader.oneEditApart("tos", "to")).isTrue();
        assertThat(ProbeReader.oneEditApart("comment", "target")).isFalse();
    }

    @Test
    void portInTo() {
        Probe p = ProbeReader.parse("p.json", "[{\"from\": \"a\", \"to\": \"10.0.0.1:443\", \"proto\": \"tcp\"}]").get(0).probe();
        assertThat(p.dst()).isEqualTo(Ip4.parse("10.0.0.1"));
        assertThat(p.dport()).isEqualTo(443);
        Probe same = ProbeReader.parse("p.json", "[{\"from\": \"a\", \"to\": \"10.0.0.1:443\", \"proto\": \"tcp\", \"dport\": 443}]").get(0).probe();
        assertThat(same.dport()).isEqualTo(443);
    }

    @Test
    void errorsNameTheProbesLine() {
        assertThat(fails("{}")).isEqualTo("probes.json:1: expected a JSON array");
        assertThat(fails("[\n 3]")).isEqualTo("probes.json:2: a probe must be a JSON object");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\"},\n {\"to\": \"10.0.0.1\"}]"))
                .isEqualTo("probes.json:2: missing \"from\"");
        assertThat(fails("[\n\n {\"from\": \"a\"}]")).isEqualTo("probes.json:3: missing \"to\"");
        assertThat(fails("[{\"from\": \"a\",\n \"to\": \"10.0.0\"}]")).isEqualTo("probes.json:1: not an IPv4 address: 10.0.0");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"src\": \"me\"}]")).isEqualTo("probes.json:1: not an IPv4 address: me");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"proto\": \"sctp\"}]"))
                .isEqualTo("probes.json:1: unknown proto \"sctp\" (icmp, tcp or udp)");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"proto\": \"tcp\"}]"))
                .isEqualTo("probes.json:1: tcp probe needs \"dport\"");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"proto\": \"tcp\", \"dport\": 70000}]"))
                .isEqualTo("probes.json:1: not a port number: 70000");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1:80\", \"proto\": \"tcp\", \"dport\": 81}]"))
                .isEqualTo("probes.json:1: \"to\" says port 80 but \"dport\" says 81");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1:80\"}]"))
                .isEqualTo("probes.json:1: \"to\" has a port but the probe is icmp (add \"proto\": \"tcp\" or \"udp\")");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"expect\": \"OK\"}]"))
                .isEqualTo("probes.json:1: unknown expect \"OK\" (ROUND_TRIP_OK, REQUEST_LOST or REPLY_LOST)");
        assertThat(fails("[{\"id\": \"x\", \"from\": \"a\", \"to\": \"10.0.0.1\"},\n{\"id\": \"x\", \"from\": \"a\", \"to\": \"10.0.0.2\"}]"))
                .isEqualTo("probes.json:2: duplicate probe id \"x\"");
        assertThat(fails("[{\"from\": [\"a\"], \"to\": \"10.0.0.1\"}]")).isEqualTo("probes.json:1: \"from\" must be a string");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\"}\n,]")).startsWith("probes.json:2: malformed JSON: ");
    }

    @Test
    void missingFile() {
        InputException e = catchThrowableOfType(() -> ProbeReader.read(tmp.resolve("none.json")), InputException.class);
        assertThat(e.getMessage()).isEqualTo("file not found");
        assertThat(e.file()).endsWith("none.json");
    }

    @Test
    void validateAgainstTheNetwork() {
        Network net = SnapshotLoader.load(RealSnapshotTest.resource("real-lab"));
        String text = "[\n"
                + " {\"id\": \"ok\", \"from\": \"client\", \"src\": \"203.0.113.10\", \"to\": \"192.168.78.19\", \"target\": \"nas\"},\n"
                + " {\"id\": \"ghost\", \"from\": \"laptop\", \"to\": \"192.168.78.19\"},\n"
                + " {\"id\": \"t\", \"from\": \"client\", \"to\": \"192.168.78.19\", \"target\": \"printer\"},\n"
                + " {\"id\": \"s\", \"from\": \"client\", \"src\": \"192.168.78.1\", \"to\": \"192.168.78.19\"}\n"
                + "]";
        List<ProbeReader.LocatedProbe> all = ProbeReader.parse("probes.json", text);
        ProbeReader.validate(all.subList(0, 1), net);
        assertThat(catchThrowableOfType(() -> ProbeReader.validate(all.subList(1, 2), net), InputException.class).oneLine())
                .isEqualTo("probes.json:3: probe ghost: unknown host \"laptop\"");
        assertThat(catchThrowableOfType(() -> ProbeReader.validate(all.subList(2, 3), net), InputException.class).oneLine())
                .isEqualTo("probes.json:4: probe t: unknown target host \"printer\"");
        assertThat(catchThrowableOfType(() -> ProbeReader.validate(all.subList(3, 4), net), InputException.class).oneLine())
                .isEqualTo("probes.json:5: probe s: client has no address 192.168.78.1");
    }

    @Test
    void fromYamlNode() throws IOException {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        var node = yaml.readTree("{from: office-pc, to: 192.168.78.19, proto: tcp, dport: 22}");
        Probe p = ProbeReader.fromNode(node, 4, "net.yaml", 17);
        assertThat(p.id()).isEqualTo("probe-4");
        assertThat(p.dport()).isEqualTo(22);
        var bad = yaml.readTree("{from: office-pc, to: 192.168.78.19, proto: tcp}");
        assertThat(catchThrowableOfType(() -> ProbeReader.fromNode(bad, 1, "net.yaml", 17), InputException.class).oneLine())
                .isEqualTo("net.yaml:17: tcp probe needs \"dport\"");
    }
}
