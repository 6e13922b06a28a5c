package roundtrip.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON hops carry the trace's facts as fields (issue 10: typed hops), besides the words of `text`. */
class StepJsonTest {
    private static List<JsonNode> hops(String dir, String probeId) {
        Network net = SnapshotLoader.load(Path.of(dir, "snapshot"));
        Probe p = ProbeReader.readLocated(Path.of(dir, "probes.json")).stream().map(ProbeReader.LocatedProbe::probe)
                .filter(x -> x.id().equals(probeId)).findFirst().orElseThrow();
        List<JsonNode> out = new ArrayList<>();
        JsonReport.toJson(new Simulator(net).run(p, true)).path("hops").forEach(out::add);
        return out;
    }

    @Test void aDropSaysItsStageAndWhyAndEveryPacketItsAddresses() {
        List<JsonNode> hops = hops("examples/s2-missing-return-route", "ssh-pc");
        JsonNode drop = hops.stream().filter(h -> h.path("kind").asText().equals("drop")).findFirst().orElseThrow();
        assertThat(drop.path("host").asText()).isEqualTo("isp");
        assertThat(drop.path("stage").asText()).isEqualTo("forwarding");
        assertThat(drop.path("why").path("type").asText()).isEqualTo("forwarding-off");
        assertThat(drop.path("why").path("key").asText()).isEqualTo("net.ipv4.ip_forward");
        JsonNode out = hops.stream().filter(h -> h.path("direction").asText().equals("out")).findFirst().orElseThrow();
        assertThat(out.path("packet").path("proto").asText()).isEqualTo("tcp");
        assertThat(out.path("packet").path("dport").asInt()).isEqualTo(22);
        JsonNode route = hops.get(0);
        assertThat(route.path("decision").asText()).isEqualTo("output");
        assertThat(route.path("table").asInt()).isEqualTo(254);
    }

    @Test void aRuleAndItsNatSayTheirTableChainAndTheAddressesBeforeAndAfter() {
        List<JsonNode> hops = hops("src/test/resources/why/s16-vps-dnat-broken", "forwarded-5000");
        assertThat(hops).anyMatch(h -> h.path("kind").asText().equals("rule") && h.path("table").asText().equals("nat")
                && h.path("chain").asText().equals("PREROUTING") && h.path("action").asText().contains("DNAT"));
        JsonNode nat = hops.stream().filter(h -> h.path("kind").asText().equals("nat")).findFirst().orElseThrow();
        assertThat(nat.path("nat").asText()).isEqualTo("destination");
        assertThat(nat.path("before").path("dst").asText()).isEqualTo("203.0.113.5");
        assertThat(nat.path("after").path("dst").asText()).isNotEqualTo("203.0.113.5");
        assertThat(hops).anyMatch(h -> h.path("kind").asText().equals("conntrack") && h.has("ctstate"));
    }
}
