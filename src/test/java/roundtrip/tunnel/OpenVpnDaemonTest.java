package roundtrip.tunnel;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Host;
import roundtrip.model.Problem;
import roundtrip.model.Route;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A network file's OpenVPN hosts get what the daemons do when they come up (see {@link OpenVpnDaemon}). */
class OpenVpnDaemonTest {
    private static final String SERVER = """
              srv:
                interfaces: {eth0: 198.51.100.1/24, lan0: 192.168.10.1/24}
                routes: [default via 198.51.100.254]
                openvpn:
                  server: |
                    dev tun
                    proto udp
                    port 1194
                    topology subnet
                    server 10.9.0.0 255.255.255.0
                    push "route 192.168.10.0 255.255.255.0"
                    %s
                    client-config-dir ccd
                  ccd:
                    laptop: |
                      %s
            """;

    private static NetworkFileReader.Result read(String clientExtra, String serverPush, String ccd) {
        String yaml = """
                hosts:
                  laptop:
                    interfaces: {eth0: 172.16.1.2/24}
                    routes: [default via 172.16.1.1%s]
                    openvpn:
                      client: |
                        client
                        dev tun
                        remote 198.51.100.1 1194
                """.formatted(clientExtra) + SERVER.formatted(serverPush, ccd) + """
                  rtr:
                    interfaces: {up0: 172.16.1.1/24, tr0: 198.51.100.254/24}
                segments:
                  s1: [laptop:eth0, rtr:up0]
                  s2: [rtr:tr0, srv:eth0]
                """;
        return NetworkFileReader.parse("net.yaml", yaml, Path.of("."));
    }

    private static List<String> mainRoutes(Host h) {
        return h.routes().stream().filter(r -> r.table() == Route.TABLE_MAIN).map(Route::text).toList();
    }

    @Test
    void subnetClientGetsThePoolAddressAndThePushedRoutes() {
        Host laptop = read("", "", "push \"route 192.168.77.0 255.255.255.0\"").network().host("laptop");
        assertThat(laptop.iface("tun0").addresses()).extracting(Object::toString).containsExactly("10.9.0.2/24");
        assertThat(mainRoutes(laptop)).contains("10.9.0.0/24 dev tun0 scope link src 10.9.0.2",
                "192.168.10.0/24 via 10.9.0.1 dev tun0", "192.168.77.0/24 via 10.9.0.1 dev tun0");
        assertThat(laptop.problems()).isEmpty();
        Host srv = read("", "", "").network().host("srv");
        assertThat(srv.iface("tun0").addresses()).extracting(Object::toString).containsExactly("10.9.0.1/24");
    }

    @Test
    void aCcdIfconfigPushIsTheClientsAddress() {
        Host laptop = read("", "", "ifconfig-push 10.9.0.50 255.255.255.0").network().host("laptop");
        assertThat(laptop.iface("tun0").addresses()).extracting(Object::toString).containsExactly("10.9.0.50/24");
    }

    @Test
    void redirectGatewayWithoutDef1ReplacesTheDefaultRoute() {
        Host laptop = read("", "push \"redirect-gateway\"", "").network().host("laptop");
        assertThat(mainRoutes(laptop)).contains("default via 10.9.0.1 dev tun0", "198.51.100.1 via 172.16.1.1 dev eth0")
                .doesNotContain("default via 172.16.1.1 dev eth0");
    }

    @Test
    void aRouteTheUserWroteStaysAndADifferentOneIsWarned() {
        // the user routes the server's LAN another way: OpenVPN's own route add fails (File exists)
        Host laptop = read(", 192.168.10.0/24 via 172.16.1.1", "", "").network().host("laptop");
        assertThat(mainRoutes(laptop)).contains("192.168.10.0/24 via 172.16.1.1 dev eth0").doesNotContain("192.168.10.0/24 via 10.9.0.1 dev tun0");
        assertThat(laptop.problems()).extracting((p -> p.message().english())).containsExactly(
                "laptop: OpenVPN tun0 would add \"192.168.10.0/24 via 10.9.0.1 dev tun0\" (net.yaml:20), which the kernel refuses "
                        + "while this route exists (File exists): this one is used");
    }

    @Test
    void aDeclaredTunnelAddressIsKept() {
        String yaml = """
                hosts:
                  laptop:
                    interfaces: {eth0: 198.51.100.2/24, tun0: {address: 10.9.0.7/24, kind: tun}}
                    openvpn:
                      client: |
                        client
                        dev tun0
                        remote 198.51.100.1 1194
                """ + SERVER.formatted("", "") + """
                segments:
                  s: [laptop:eth0, srv:eth0]
                """;
        Host laptop = NetworkFileReader.parse("net.yaml", yaml, Path.of(".")).network().host("laptop");
        assertThat(laptop.iface("tun0").addresses()).extracting(Object::toString).containsExactly("10.9.0.7/24");
        assertThat(mainRoutes(laptop)).contains("192.168.10.0/24 via 10.9.0.1 dev tun0");
    }
}
