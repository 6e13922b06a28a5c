package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Fib;
import roundtrip.kernel.Flow;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Route;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** IPv6 probes (probe files, a network file's probes:) and dual-stack hand-written hosts (issue 10). */
class Ipv6ProbesAndNetworkFileTest {
    private static String fails(String json) {
        return catchThrowableOfType(() -> ProbeReader.parse("probes.json", json), InputException.class).oneLine();
    }

    @Test
    void aProbeFileWithIpv6ToAndSrc() {
        List<ProbeReader.LocatedProbe> probes = ProbeReader.parse("probes.json", """
                [{"id": "ssh6", "from": "laptop", "src": "2001:db8:1::2", "to": "[2001:db8:2::10]:22", "proto": "tcp"},
                 {"id": "ping6", "from": "laptop", "to": "2001:db8:2::10"},
                 {"id": "dns6", "from": "laptop", "to": "fd00::53", "proto": "udp", "dport": 53, "target": "resolver"},
                 {"id": "ping6b", "from": "laptop", "to": "2001:db8:2::10", "proto": "ipv6-icmp"}]
                """);
        assertThat(probes).extracting(p -> p.probe()).containsExactly(
                new Probe("ssh6", "laptop", Ip.parse("2001:db8:1::2"), Ip.parse("2001:db8:2::10"), Packet.TCP, 22, null, null),
                new Probe("ping6", "laptop", null, Ip.parse("2001:db8:2::10"), Packet.ICMP, 0, null, null),
                new Probe("dns6", "laptop", null, Ip.parse("fd00::53"), Packet.UDP, 53, "resolver", null),
                new Probe("ping6b", "laptop", null, Ip.parse("2001:db8:2::10"), Packet.ICMP, 0, null, null));
        assertThat(probes.get(0).source().toString()).isEqualTo("probes.json:1: laptop (2001:db8:1::2) -> 2001:db8:2::10 tcp/22");
    }

    @Test
    void badIpv6ProbesNameTheirLine() {
        assertThat(fails("[{\"from\": \"a\", \"src\": \"10.0.0.2\", \"to\": \"2001:db8::1\"}]"))
                .isEqualTo("probes.json:1: \"src\" 10.0.0.2 and \"to\" 2001:db8::1 are of different families");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"[2001:db8::1]:22\"}]"))
                .isEqualTo("probes.json:1: \"to\" has a port but the probe is icmp (add \"proto\": \"tcp\" or \"udp\")");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"[2001:db8::1]:22\", \"proto\": \"tcp\", \"dport\": 23}]"))
                .isEqualTo("probes.json:1: \"to\" says port 22 but \"dport\" says 23");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"2001:db8::1\", \"proto\": \"tcp\"}]")).isEqualTo("probes.json:1: tcp probe needs \"dport\"");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"10.0.0.1\", \"proto\": \"icmp6\"}]"))
                .isEqualTo("probes.json:1: proto icmp6 to the IPv4 address 10.0.0.1: ICMPv6 is IPv6's (use icmp)");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"[2001:db8::1]x\"}]")).isEqualTo("probes.json:1: expected [ADDR]:PORT, got [2001:db8::1]x");
        assertThat(fails("[{\"from\": \"a\", \"to\": \"[2001:db8::1]:0\", \"proto\": \"tcp\"}]")).isEqualTo("probes.json:1: not a port number: 0");
    }

    static final String DUAL_STACK = """
            hosts:
              laptop:
                interfaces: {eth0: [192.168.1.20/24, 2001:db8:1::20/64]}
                routes: [default via 192.168.1.1, default via fe80::1 dev eth0]
              router:
                interfaces:
                  lan: [192.168.1.1/24, 2001:db8:1::1/64, fe80::1/64]
                  wan: [203.0.113.2/24, 2001:db8:ff::2/64]
                routes: [default via 203.0.113.1, default via 2001:db8:ff::1]
                sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
            segments:
              lan: [laptop:eth0, router:lan]
            probes:
              - {id: web6, from: laptop, to: "[2001:db8:ff::1]:443", proto: tcp}
              - {id: ping6, from: laptop, src: 2001:db8:1::20, to: 2001:db8:ff::1}
              - {id: web4, from: laptop, to: 203.0.113.1, proto: tcp, dport: 443}
            """;

    @Test
    void aDualStackNetworkFileWithALinkLocalGateway() {
        NetworkFileReader.Result r = NetworkFileReader.parse("net.yaml", DUAL_STACK, Path.of("."));
        Host laptop = r.network().host("laptop"), router = r.network().host("router");
        assertThat(laptop.routes()).extracting(Route::text).contains("default via 192.168.1.1 dev eth0", "default via fe80::1 dev eth0 metric 1024");
        assertThat(router.iface("lan").addresses(Ip.Family.IPV6)).extracting(Object::toString).contains("2001:db8:1::1/64", "fe80::1/64");
        assertThat(router.sysctls().forwarding6("lan")).isTrue();
        Host vlan = NetworkFileReader.parse("net.yaml", DUAL_STACK.replace("net.ipv6.conf.all.forwarding: 1",
                "net.ipv6.conf.all.forwarding: 0, net.ipv6.conf.lan.5.force_forwarding: 1"), Path.of(".")).network().host("router");
        assertThat(vlan.sysctls().forwarding6("lan.5")).isTrue();
        assertThat(vlan.sysctls().forwarding6("lan")).isFalse();
        // each family finds its own default route; the link-local gateway is reached through the device it names
        Fib fib = new Fib(laptop);
        assertThat(fib.lookup(Flow.output(Ip.parse("2001:db8:ff::1"), null, null, 0)).route().text())
                .isEqualTo("default via fe80::1 dev eth0 metric 1024");
        assertThat(fib.lookup(Flow.output(Ip.parse("203.0.113.1"), null, null, 0)).route().text())
                .isEqualTo("default via 192.168.1.1 dev eth0");
        assertThat(r.probes()).extracting(p -> p.probe().describe()).containsExactly(
                "laptop -> 2001:db8:ff::1 tcp/443", "laptop (2001:db8:1::20) -> 2001:db8:ff::1 icmp", "laptop -> 203.0.113.1 tcp/443");
        assertThat(r.probes()).extracting(p -> p.source().line()).containsExactly(14, 15, 16);
    }

    @Test
    void listenTakesSocketsOfEitherFamily() {
        String yaml = DUAL_STACK.replace("sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}",
                "sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}\n    listen: [tcp/22, \"tcp/[2001:db8:ff::2]:443\", "
                        + "\"tcp/[::]:80\", tcp/0.0.0.0:8080]");
        Host router = NetworkFileReader.parse("net.yaml", yaml, Path.of(".")).network().host("router");
        assertThat(router.listeners()).containsExactly(new roundtrip.model.Listener(Packet.TCP, null, 22),
                new roundtrip.model.Listener(Packet.TCP, Ip.parse("2001:db8:ff::2"), 443),
                new roundtrip.model.Listener(Packet.TCP, null, 80, Ip.Family.IPV6),
                new roundtrip.model.Listener(Packet.TCP, null, 8080, Ip.Family.IPV4));
        String bad = DUAL_STACK.replace("sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}",
                "sysctl: {net.ipv4.ip_forward: 1}\n    listen: [\"tcp/2001:db8::2:443\"]");
        InputException e = catchThrowableOfType(() -> NetworkFileReader.parse("net.yaml", bad, Path.of(".")), InputException.class);
        assertThat(e.oneLine()).isEqualTo("net.yaml:11: not an address: 2001:db8::2 (A.B.C.D:PORT, or [IPV6]:PORT in brackets)");
    }

    @Test
    void anUnquotedBracketedAddressInYamlIsAListAndSaysSo() {
        String yaml = DUAL_STACK.replace("to: \"[2001:db8:ff::1]:443\"", "to: [2001:db8:ff::1]");
        InputException e = catchThrowableOfType(() -> NetworkFileReader.parse("net.yaml", yaml, Path.of(".")), InputException.class);
        assertThat(e.oneLine()).isEqualTo("net.yaml:14: \"to\" is a YAML list: quote an IPv6 address in brackets (to: \"[2001:db8::1]:22\")");
    }
}
