package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * OpenVPN clients name their server by a DNS name (PiVPN, openvpn-install: a dynamic DNS name as remote). The network
 * file's names: map says what it resolves to; without it the peer stays unpaired and a warning says how to add it.
 */
class RemoteNamesTest {
    static final Path S1 = Path.of("examples/s1-network-file/network.yaml");

    private static NetworkFileReader.Result s1(String names, String remote) throws IOException {
        String text = Files.readString(S1).replace("remote 198.51.100.2 1194", "remote " + remote + " 1194");
        return NetworkFileReader.parse("net.yaml", names + text, S1.toAbsolutePath().getParent());
    }

    private static ProbeResult sshNas(NetworkFileReader.Result r) {
        Probe p = r.probes().stream().map(ProbeReader.LocatedProbe::probe).filter(x -> x.id().equals("pc-ssh-nas")).findFirst().orElseThrow();
        return new Simulator(r.network()).run(p, true);
    }

    @Test
    void aRemoteHostNameIsResolvedByTheNamesMap() throws IOException {
        NetworkFileReader.Result r = s1("names:\n  Home.Example.NET: 198.51.100.2\n", "home.example.net");
        assertThat(r.names()).containsOnlyKeys("home.example.net");
        Network net = r.network();
        assertThat(sshNas(r).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(new Simulator(net).problems()).extracting((p -> p.message().english())).noneMatch(m -> m.contains("home.example.net"));
    }

    @Test
    void withoutAnEntryThePeerIsUnpairedAndTheWarningSaysWhatToAdd() throws IOException {
        NetworkFileReader.Result r = s1("", "home.example.net");
        assertThat(sshNas(r).verdict()).isNotEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(new Simulator(r.network()).problems()).extracting(Problem::toString).contains("net.yaml:18: office-pc tun0: remote "
                + "home.example.net is a host name no names: entry of a network file maps to an address (roundtrip never asks DNS; add "
                + "names: {home.example.net: ADDRESS}): the tunnel's server side is not simulated: remote home.example.net 1194");
        for (Problem p : new Simulator(r.network()).problems())
            assertThat(new roundtrip.report.UntranslatedEnglish(java.util.List.of()).find(roundtrip.report.Zh.text(p.message()))).isNull();
    }

    @Test
    void aSnapshotHostGivenNextToTheFileIsResolvedToo() throws IOException {
        Path snap = Path.of("src/test/resources/snapshots/openvpn-site-to-site");
        Network net = SnapshotLoader.load(snap, "snap");
        var laptop = (roundtrip.model.OpenVpnConfig) net.host("laptop").tunnels().get(0);
        String server = laptop.remotes().get(0).host();
        var renamed = new roundtrip.model.OpenVpnConfig.Remote("vpn.example.org", null, laptop.remotes().get(0).port(),
                laptop.remotes().get(0).transport(), laptop.remotes().get(0).source());
        var host = net.host("laptop");
        var unnamed = new roundtrip.model.Host(host.name(), new java.util.ArrayList<>(host.interfaces().values()), host.routes(),
                host.rules(), host.firewall(), host.sysctls(), host.listeners(), host.problems(),
                java.util.List.of(laptop.withRemotes(java.util.List.of(renamed))));
        Network resolved = RemoteNames.resolve(new Network(java.util.List.of(unnamed), java.util.List.of()),
                java.util.Map.of("vpn.example.org", roundtrip.model.Ip.parse(server)));
        var after = (roundtrip.model.OpenVpnConfig) resolved.host("laptop").tunnels().get(0);
        assertThat(String.valueOf(after.remotes().get(0).addr())).isEqualTo(server);
        assertThat(after.remotes().get(0).host()).isEqualTo("vpn.example.org");
    }

    @Test
    void badEntriesNameTheirLine() {
        InputException e = catchThrowableOfType(() -> s1("names:\n  vpn.example.org: 2001:db8:zz::1\n", "vpn.example.org"), InputException.class);
        assertThat(e.oneLine()).isEqualTo("net.yaml:2: names: vpn.example.org: not an IPv4 or IPv6 address: 2001:db8:zz::1");
        e = catchThrowableOfType(() -> s1("names:\n  \"bad name!\": 192.0.2.1\n", "x"), InputException.class);
        assertThat(e.oneLine()).isEqualTo("net.yaml:2: names: not a host name: \"bad name!\"");
    }
}
