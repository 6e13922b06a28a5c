package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands exactly as an admin would paste them, and where they go to survive a reboot. */
class ChangeRenderingTest {
    private static final Route TABLE_DEFAULT = new Route(100, RouteType.UNICAST, Prefix.ANY, Ip.parse("10.10.10.1"), "tun0", null, 0, null, 0, false, Source.NONE);

    @Test void routes() {
        Change c = new Change.AddRoute("router", TABLE_DEFAULT);
        assertThat(c.command()).isEqualTo("ip route add default via 10.10.10.1 dev tun0 table 100");
        assertThat(c.persistence(Dialect.LINUX).english()).isEqualTo("/etc/network/interfaces: `post-up ip route add default via 10.10.10.1 dev tun0 table 100`"
                + " in the `iface tun0` stanza (netplan: a `routes:` entry of tun0 with `table: 100`)");
        assertThat(c.persistence(Dialect.OPENWRT).english()).isEqualTo("/etc/config/network: a `config route` section (option target '0.0.0.0/0',"
                + " option gateway '10.10.10.1', option table '100', option interface = the network of tun0)");
        Route hinted = new Route(254, RouteType.UNICAST, Prefix.parse("192.168.4.0/24"), Ip.parse("10.200.0.2"), "vpn0", Ip.parse("10.198.0.10"), 0, null, 0, false, Source.NONE);
        assertThat(new Change.ReplaceRoute("vpnsrv", hinted, hinted).command()).isEqualTo("ip route replace 192.168.4.0/24 via 10.200.0.2 dev vpn0 src 10.198.0.10");
    }

    @Test void rules() {
        assertThat(new Change.AddRule("r", Prefix.parse("10.10.10.2"), null, null, 1234).command()).isEqualTo("ip rule add from 10.10.10.2 lookup 1234");
        assertThat(new Change.AddRule("r", null, Prefix.parse("198.51.100.7"), null, 100).command()).isEqualTo("ip rule add to 198.51.100.7 lookup 100");
        assertThat(new Change.AddRule("r", null, null, 0x1234L, 1234).command()).isEqualTo("ip rule add fwmark 0x1234 lookup 1234");
        assertThat(new Change.AddRule("r", null, null, 0x1L, 100).persistence(Dialect.OPENWRT).english())
                .isEqualTo("/etc/config/network: a `config rule` section (option mark '0x1', option lookup '100')");
    }

    @Test void openVpnChangesRunInTheDaemonsWorkingDirectory() {
        Change iroute = new Change.OpenVpnIroute("vpnsrv", "tun0", "server.conf", "ccd", "vpncli", Prefix.parse("192.168.4.0/24"));
        assertThat(iroute.command()).isEqualTo("echo 'iroute 192.168.4.0 255.255.255.0' >> ccd/vpncli");
        assertThat(iroute.writes()).isEqualTo("ccd/vpncli");
        Change signal = new Change.OpenVpnSignal("vpncli", "tun0", "client.conf", "client.pid", "USR1", roundtrip.model.Message.text("it reconnects"));
        assertThat(signal.command()).isEqualTo("kill -USR1 $(cat client.pid)");
        assertThat(signal.shell()).isTrue();
        Change noPidFile = new Change.OpenVpnSignal("vpncli", "tun0", "client.conf", null, "HUP", roundtrip.model.Message.text("it re-reads client.conf"));
        assertThat(noPidFile.command()).isEqualTo("kill -HUP <pid of the openvpn running client.conf>");
        assertThat(noPidFile.shell()).isFalse();
        assertThat(noPidFile.persistence(Dialect.LINUX).english()).contains("systemctl kill -s HUP openvpn-client@client or openvpn-server@client");
        // sed matches the line as written, literally; the replacement is inserted literally
        Change.OpenVpnRedirectGateway pushed = new Change.OpenVpnRedirectGateway("vpnsrv", "tun0", "server.conf", "server.conf",
                new Source("snapshot/vpnsrv/openvpn/server.conf", 7, "push \"redirect-gateway local\" # it's.*"), "push \"redirect-gateway def1 bypass-dhcp\"");
        assertThat(pushed.command()).isEqualTo("sed -i 's/^[[:space:]]*push \"redirect-gateway local\" # it'\\''s\\.\\*[[:space:]]*$/"
                + "push \"redirect-gateway def1 bypass-dhcp\"/' server.conf");
        assertThat(pushed.pushed()).isTrue();
        assertThat(pushed.flags()).containsExactly("def1", "bypass-dhcp");
    }

    /** The printed sed, run by the real sed, replaces exactly the quoted line, whatever characters it holds. */
    @Test void theRedirectGatewayEditWorksWithRealSed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String old = "push \"redirect-gateway local\" # it's a/b.c*[x]^$ & more";
        java.nio.file.Files.writeString(dir.resolve("server.conf"), "dev tun0\n  " + old + "\nverb 3\n");
        var change = new Change.OpenVpnRedirectGateway("srv", "tun0", "server.conf", "server.conf",
                new Source("srv/openvpn/server.conf", 2, old), "push \"redirect-gateway def1\" # a/b & 'q'");
        Process sh = new ProcessBuilder("sh", "-c", change.command()).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as(out).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("server.conf")))
                .isEqualTo("dev tun0\npush \"redirect-gateway def1\" # a/b & 'q'\nverb 3\n");
    }

    @Test void iptablesAndSysctl() {
        assertThat(new Change.IptablesRule("box", "nat", "POSTROUTING", false, "-o ens160 -j MASQUERADE").command())
                .isEqualTo("iptables -t nat -A POSTROUTING -o ens160 -j MASQUERADE");
        assertThat(new Change.IptablesRule("box", "filter", "FORWARD", true, "-i tun0 -o ens160 -j ACCEPT").command())
                .isEqualTo("iptables -I FORWARD -i tun0 -o ens160 -j ACCEPT");
        assertThat(new Change.IptablesPolicy("box", "filter", "FORWARD", "ACCEPT").command()).isEqualTo("iptables -P FORWARD ACCEPT");
        assertThat(new Change.IptablesRule("box", "nat", "POSTROUTING", false, "-o wan -j MASQUERADE").persistence(Dialect.OPENWRT).english())
                .isEqualTo("/etc/firewall.user (fw3), or the equivalent section in /etc/config/firewall");
        Change s = new Change.SetSysctl("router", "net.ipv4.ip_forward", "1");
        assertThat(s.command()).isEqualTo("sysctl -w net.ipv4.ip_forward=1");
        assertThat(s.persistence(Dialect.LINUX).english()).isEqualTo("echo 'net.ipv4.ip_forward = 1' >> /etc/sysctl.d/90-roundtrip.conf");
    }
}
