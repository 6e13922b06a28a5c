package roundtrip.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario file loads, explains itself and makes a claim for every probe (runs without root). */
class ScenarioFilesTest {
    @Test
    void everyScenarioIsWellFormed() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src/test/resources/scenarios"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            Scenario s = Scenario.load(file);
            assertThat(Files.readString(file)).as(file + " starts with a comment block").startsWith("# ");
            assertThat(s.description).as(file + " description").isNotBlank();
            assertThat(s.probes).as(file + " probes").isNotEmpty();
            assertThat(s.probes).as(file + " every probe claims a verdict").allSatisfy(p -> assertThat(p.expect).isNotNull());
            assertThat(s.probes.stream().map(p -> p.id).distinct().count()).as(file + " unique probe ids").isEqualTo(s.probes.size());
            if (s.network != null) networkFileHoldsTheSameWgQuickFiles(file, s);
        }
    }

    /** A scenario's network file gives the simulator the very wg-quick files the scenario runs wg-quick up with. */
    private static void networkFileHoldsTheSameWgQuickFiles(Path file, Scenario s) throws Exception {
        Path network = file.resolveSibling(s.network);
        assertThat(network).as(file + " network file").isRegularFile();
        com.fasterxml.jackson.databind.JsonNode hosts = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(network.toFile()).path("hosts");
        for (var h : s.hosts.entrySet())
            for (var wg : h.getValue().wgQuick.entrySet())
                assertThat(hosts.path(h.getKey()).path("wireguard").path(wg.getKey()).asText())
                        .as(network + ": " + h.getKey() + " wireguard " + wg.getKey()).isEqualTo(wg.getValue());
        assertThat(roundtrip.importer.NetworkFileReader.read(network).network().hosts().keySet())
                .as(network + " hosts").containsExactlyInAnyOrderElementsOf(s.hosts.keySet());
    }

    @Test
    void captureFilterMatchesTheRequestAsTheTargetSeesIt() {
        Scenario.ProbeSpec p = new Scenario.ProbeSpec();
        p.to = "10.0.0.1";
        p.proto = "tcp";
        p.dport = 2222;
        p.targetPort = 22;
        assertThat(Lab.captureFilter(p)).contains("tcp-syn", "dst port 22").doesNotContain("2222");
        p.proto = "icmp";
        assertThat(Lab.captureFilter(p)).contains("icmp-echo");
    }

    @Test
    void anIpv6RequestIsMatchedAsIpv6() {
        Scenario.ProbeSpec p = new Scenario.ProbeSpec();
        p.to = "2001:db8:1::20";
        p.proto = "tcp";
        p.dport = 2222;
        p.targetPort = 22;
        // libpcap's tcp[] does not look into IPv6: the SYN is read at its offset behind the IPv6 header
        assertThat(Lab.captureFilter(p)).startsWith("ip6 ").contains("ip6[53]", "dst port 22").doesNotContain("tcp-syn", "2222");
        p.proto = "icmp";
        assertThat(Lab.captureFilter(p)).isEqualTo("icmp6 and icmp6[icmp6type] == icmp6-echo");
        p.proto = "udp";
        p.targetPort = null;
        assertThat(Lab.captureFilter(p)).isEqualTo("ip6 and udp and dst port 2222");
    }
}
