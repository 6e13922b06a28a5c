package roundtrip.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.report.WhyReport;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots with a file missing (issue 9 item 2): what the kernel would have is derived and said, and no verdict
 * or root cause rests on a default the user did not see. The snapshots are the collected story snapshots with
 * one file taken away, as a user's incomplete collection would be.
 */
class IncompleteSnapshotTest {
    @TempDir Path tmp;

    private Path copy(String story) {
        Path from = Path.of("src/test/resources/why", story, "snapshot");
        Path to = tmp.resolve(story);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target); else Files.copy(p, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    private static List<Probe> probes(String story) {
        return ProbeReader.read(Path.of("src/test/resources/why", story, "probes.json"));
    }

    private static Probe probe(String story, String id) {
        return probes(story).stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aHostWithoutSysctlsIsNotBlamedForTheKernelsDefault() throws IOException {
        Path snap = copy("s02-return-route-broken");
        Files.delete(snap.resolve("vpn/sysctl.txt"));   // vpn forwards the client's traffic into the LAN
        Network net = SnapshotLoader.load(snap);
        Why.Result w = new Why(net).explain(probe("s02-return-route-broken", "ssh-pc"), probes("s02-return-route-broken"));

        // the simulation keeps the kernel's default (ip_forward 0) but says the verdict rests on it
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(w.result().certain()).isFalse();
        assertThat(w.result().uncertain()).extracting(Problem::toString).contains("s02-return-route-broken/vpn/sysctl.txt: not collected: "
                + "net.ipv4.ip_forward taken as 0, the kernel's default, so vpn does not forward; whether it really forwards is not known");
        // the cause is the missing file, never "ip_forward is 0"
        Finding cause = w.findings().get(0);
        assertThat(cause.cause()).isEqualTo(Cause.SETTING_NOT_COLLECTED);
        assertThat(cause.host()).isEqualTo("vpn");
        assertThat(cause.evidence().file()).isEqualTo("s02-return-route-broken/vpn/sysctl.txt");
        assertThat(cause.evidence().text()).isEmpty();
        assertThat(w.findings()).extracting(Finding::cause).doesNotContain(Cause.IP_FORWARD_OFF);
        assertThat(w.fixes()).isEmpty();
        String text = WhyReport.text(w, net, "en");
        assertThat(text).contains("root cause: setting-not-collected on vpn", "evidence: s02-return-route-broken/vpn/sysctl.txt\n")
                .doesNotContain("ip-forward-off", "not set: the kernel's default");
        assertThat(new roundtrip.report.UntranslatedEnglish(List.of()).offending(WhyReport.text(w, net, "zh"))).isEmpty();
    }

    @Test
    void withItsSysctlsTheSameHostIsTheCauseAsBefore() {
        Network net = SnapshotLoader.load(Path.of("src/test/resources/why/s02-return-route-broken/snapshot"));
        ProbeResult r = new Simulator(net).run(probe("s02-return-route-broken", "ssh-pc"), true);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(r.certain()).isTrue();
    }

    @Test
    void rpFilterThatWouldHaveDroppedThePacketMakesItUncertain() throws IOException {
        // client answers over an asymmetric path: with its collected rp_filter = 1 the answer dies there
        Path snap = copy("f-rp-filter-strict");
        Network collected = SnapshotLoader.load(snap);
        assertThat(new Simulator(collected).run(probe("f-rp-filter-strict", "ping"), true).reply().lostAt().stage()).isEqualTo("rp_filter");
        Files.delete(snap.resolve("client/sysctl.txt"));
        ProbeResult r = new Simulator(SnapshotLoader.load(snap)).run(probe("f-rp-filter-strict", "ping"), true);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(r.uncertain()).extracting((p -> p.message().english())).anySatisfy(m -> assertThat(m).startsWith(
                "not collected: the reverse path filter's sysctls (rp_filter, accept_local, src_valid_mark) taken as 0, the kernel's "
                        + "defaults: with rp_filter = 1 client would drop this packet from 10.2.0.10 on"));
    }

    @Test
    void aHostWhoseRouteDumpHasNoTableLocalStillOwnsItsAddresses() throws IOException {
        Path snap = copy("s02-return-route-broken");
        // the client's routes as `ip -j -d route show` prints them (table main only)
        ObjectMapper m = new ObjectMapper();
        for (String host : List.of("client", "vpn")) {
            ArrayNode all = (ArrayNode) m.readTree(snap.resolve(host + "/ip-route.json").toFile());
            ArrayNode main = m.createArrayNode();
            all.forEach(r -> { if (!r.has("table") || r.get("table").asText().equals("main")) main.add(r); });
            Files.writeString(snap.resolve(host + "/ip-route.json"), m.writeValueAsString(main));
        }
        Network net = SnapshotLoader.load(snap);
        Ip clientAddr = net.host("client").iface("eth0").primary().local();
        Probe fromItsOwnAddress = new Probe("own", "client", clientAddr, Ip.parse("10.198.0.10"), Packet.TCP, 22, "vpn", null);
        ProbeResult r = new Simulator(net).run(fromItsOwnAddress, true);
        assertThat(r.verdict()).as(roundtrip.report.TextReport.line(r)).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(net.host("client").problems()).extracting((p -> p.message().english())).contains("no route of table local (not the output of "
                + "`ip -j -d route show table all`?): the kernel's local and broadcast routes were derived from the addresses in ip-addr.json");
    }
}
