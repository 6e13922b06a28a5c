package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Fib;
import roundtrip.kernel.Flow;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A dual-stack snapshot collected from namespaces (scenario f-dual-stack-ipv6-blackhole, LabMain): ULA and global
 * IPv6 addresses, IPv6 default routes (one via a link-local gateway), the client's IPv6 sent by two `ip -6 rule`s
 * into a table holding only `blackhole default`, ip6tables dropping IPv6 on the router. Everything loads with its
 * family, and the IPv4 probes come back (the conformance scenario shows the real kernel agrees).
 */
class DualStackSnapshotTest {
    static final Path DIR = Path.of("src/test/resources/why/f-dual-stack-ipv6-blackhole");
    static final Path SNAP = DIR.resolve("snapshot");
    final Network net = SnapshotLoader.load(SNAP, "dual-stack");
    final Host client = net.host("client"), router = net.host("router"), server = net.host("server");

    @Test
    void ipv6IsLoadedWithItsFamily() {
        assertThat(client.iface("eth0").addresses(Ip.Family.IPV6)).extracting(Object::toString)
                .contains("fd00:10::2/64").anyMatch(a -> a.startsWith("fe80::"));
        assertThat(client.routes()).filteredOn(r -> r.table() == 200).extracting(r -> r.family() + " " + r.text())
                .containsExactly("IPV6 blackhole default dev lo table 200 metric 1024");
        assertThat(client.rules()).filteredOn(r -> r.family() == Ip.Family.IPV6).extracting(Rule::priority)
                .containsExactly(0, 100, 110, 32766);
        assertThat(client.rules()).filteredOn(r -> r.family() == Ip.Family.IPV4).extracting(Rule::priority)
                .containsExactly(0, 32766, 32767);
        assertThat(server.routes()).extracting(Route::text).contains("default via 198.51.100.1 dev eth0",
                "default via fe80::1 dev eth0 metric 1024");
        // the IPv6 routes come from ip6-route.json, which ip -6 wrote
        assertThat(server.routes()).filteredOn(r -> r.family() == Ip.Family.IPV6)
                .allSatisfy(r -> assertThat(r.source().file()).isEqualTo("dual-stack/server/ip6-route.json"));
    }

    @Test
    void ipv6IsLoadedWithoutWarnings() {
        // addresses, routes, rules and ip6tables rules of IPv6 are in the model like IPv4's: nothing to warn about
        assertThat(client.problems()).isEmpty();
        // ip6tables-nft's table ip6 filter is described by ip6tables-save.txt: no warning for nft.json either
        assertThat(router.problems()).isEmpty();
        assertThat(server.problems()).isEmpty();
    }

    @Test
    void theIpv6BlackholeNeverTakesAnIpv4Packet() {
        Fib fib = new Fib(client);
        assertThat(fib.lookup(Flow.output(Ip.parse("198.51.100.20"), null, null, 0)).route().text())
                .isEqualTo("default via 192.168.10.1 dev eth0");
        assertThat(fib.lookup(Flow.output(Ip.parse("2001:db8:1::20"), Ip.parse("fd00:10::2"), null, 0)).type())
                .isEqualTo(RouteType.BLACKHOLE);
        assertThat(fib.addressType(Ip.parse("fd00:10::2"))).isEqualTo("LOCAL");
        assertThat(fib.preferredSource(fib.lookup(Flow.output(Ip.parse("198.51.100.20"), null, null, 0)), Ip.parse("198.51.100.20")))
                .isEqualTo(Ip.parse("192.168.10.2"));
    }

    @Test
    void theIpv4ProbesComeBackAsOnTheRealKernel() {
        Simulator sim = new Simulator(net);
        List<ProbeReader.LocatedProbe> probes = ProbeReader.readLocated(DIR.resolve("probes.json"));
        ProbeReader.validate(probes, net);
        for (ProbeReader.LocatedProbe p : probes) {
            ProbeResult r = sim.run(p.probe(), false);
            assertThat(r.verdict().name()).as(p.probe().id()).isEqualTo("ROUND_TRIP_OK");
            assertThat(r.uncertain()).as(p.probe().id()).isEmpty();
        }
    }

    @Test
    void theCommandLineFollowsAnIpv6Destination() {
        String[] check = run("check", "--snapshot", SNAP.toString(), "--probes", DIR.resolve("probes.json").toString());
        assertThat(check[0]).isEqualTo("0");
        assertThat(check[2]).doesNotContain("snapshot/client:").doesNotContain("not simulated");
        // the client sends all its IPv6 into table 200, which holds only a blackhole default: the socket gets EINVAL
        String[] trace = run("trace", "--snapshot", SNAP.toString(), "--from", "client", "--to", "[2001:db8:1::20]:22", "--proto", "tcp");
        assertThat(trace[1]).contains("REQUEST_LOST", "blackhole default dev lo table 200", "EINVAL");
        // the router reaches the server over IPv6: nothing listens there on port 22 for IPv6 ([::] is not in ss-listen.txt)
        String[] fromRouter = run("trace", "--snapshot", SNAP.toString(), "--from", "router", "--to", "[2001:db8:1::20]:22", "--proto", "tcp");
        assertThat(fromRouter[1]).contains("IP6 2001:db8:1::1.40000 > 2001:db8:1::20.22: Flags [S]", "local delivery");
    }

    /** {exit code, stdout, stderr} of the command line. */
    private static String[] run(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        int exit;
        try (java.io.PrintStream o = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
             java.io.PrintStream e = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
            exit = roundtrip.cli.Main.run(o, e, args);
        }
        return new String[] {Integer.toString(exit), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8)};
    }

    @Test
    void anIpv6ProbeIsSimulated() {
        List<ProbeReader.LocatedProbe> probes = ProbeReader.parse("p.json", "[{\"id\": \"six\", \"from\": \"client\", \"to\": \"[2001:db8:1::20]:22\","
                + " \"proto\": \"tcp\"}]");
        assertThat(probes.get(0).probe().dst()).isEqualTo(Ip.parse("2001:db8:1::20"));
        assertThat(probes.get(0).probe().dport()).isEqualTo(22);
        ProbeReader.validate(probes, net);
        assertThat(new Simulator(net).run(probes.get(0).probe()).verdict().name()).isEqualTo("REQUEST_LOST");
        assertThatThrownBy(() -> ProbeReader.parse("p.json", "[{\"from\": \"client\", \"to\": \"2001:db8::1\", \"src\": \"192.168.10.2\"}]"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("p.json:1: \"src\" 192.168.10.2 and \"to\" 2001:db8::1 are of different families"));
        assertThat(ProbeReader.parse("p.json", "[{\"from\": \"client\", \"to\": \"2001:db8::1\"}]").get(0).probe().dst())
                .isEqualTo(Ip.parse("2001:db8::1"));
        assertThat(Prefix.ANY6.contains(probes.get(0).probe().dst())).isTrue();
    }
}
