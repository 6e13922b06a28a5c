package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Ip4;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Packet;
import roundtrip.model.Problem;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenVpnReaderTest {
    static final String SERVER = """
            # site-to-site server (cookbook chapter 2 style)
            port 1194
            proto udp
            dev tun
            ;dev tap
            <ca>
            -----BEGIN CERTIFICATE-----
            MIIB...secret-looking...
            -----END CERTIFICATE-----
            </ca>
            cert /etc/openvpn/server.crt
            key  /etc/openvpn/server.key   # keep secret
            dh dh2048.pem
            topology subnet
            server 10.200.0.0 255.255.255.0
            push "route 10.198.0.0 255.255.0.0"
            route 192.168.4.0 255.255.255.0
            client-config-dir /etc/openvpn/ccd
            client-to-client
            keepalive 10 60
            persist-key
            persist-tun
            status /var/log/openvpn/status.log 30
            verb 3
            """;

    static OpenVpnConfig read(String text, List<Problem> problems) {
        return OpenVpnReader.read("gw/openvpn/server.conf", text, problems);
    }

    @Test
    void serverExpandsAsHelperCDoes() {
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig c = read(SERVER, problems);
        assertThat(problems).isEmpty();
        assertThat(c.mode()).isEqualTo(OpenVpnConfig.Mode.SERVER);
        assertThat(c.device()).isEqualTo("tun");
        assertThat(c.devType()).isEqualTo("tun");
        assertThat(c.transport()).isEqualTo(Packet.UDP);
        assertThat(c.port()).isEqualTo(1194);
        assertThat(c.topology()).isEqualTo(OpenVpnConfig.Topology.SUBNET);
        assertThat(Ip4.format(c.ifconfigLocal())).isEqualTo("10.200.0.1");
        assertThat(Ip4.format(c.ifconfigRemote())).isEqualTo("255.255.255.0");
        assertThat(Ip4.format(c.poolStart())).isEqualTo("10.200.0.2");
        assertThat(Ip4.format(c.poolEnd())).isEqualTo("10.200.0.254");
        assertThat(c.pushes()).extracting(OpenVpnConfig.Option::text).containsExactly(
                "route 10.198.0.0 255.255.0.0", "route-gateway 10.200.0.1", "topology subnet");
        assertThat(c.routes()).extracting(r -> r.net().toString()).containsExactly("192.168.4.0/24");
        assertThat(c.routes().get(0).source().line()).isEqualTo(17);
        assertThat(c.clientConfigDir()).isEqualTo("/etc/openvpn/ccd");
        assertThat(c.clientToClient()).isTrue();
        assertThat(c.verb()).isEqualTo(3);
        assertThat(c.toString()).doesNotContain("secret-looking");
    }

    @Test
    void net30ServerPushesTheServerAddressAndRoutesThePool() {
        OpenVpnConfig c = read("dev tun\nserver 10.8.0.0 255.255.255.0\n", new ArrayList<>());
        assertThat(c.topology()).isEqualTo(OpenVpnConfig.Topology.NET30);
        assertThat(Ip4.format(c.ifconfigLocal())).isEqualTo("10.8.0.1");
        assertThat(Ip4.format(c.ifconfigRemote())).isEqualTo("10.8.0.2");
        assertThat(Ip4.format(c.poolStart())).isEqualTo("10.8.0.4");
        assertThat(Ip4.format(c.poolEnd())).isEqualTo("10.8.0.251");
        assertThat(c.routes()).extracting(r -> r.net().toString()).containsExactly("10.8.0.0/24");
        assertThat(c.pushes()).extracting(OpenVpnConfig.Option::text).containsExactly("route 10.8.0.1", "topology net30");
    }

    @Test
    void clientWithRemoteAndRedirectGateway() {
        String text = """
                client
                dev tun
                proto tcp
                remote 198.51.100.2 443
                remote vpn.example.org 1194 udp
                nobind
                redirect-gateway def1 bypass-dhcp
                route-nopull
                pull-filter ignore "route 10."
                --float
                """;
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig c = OpenVpnReader.read("pc/openvpn/client.conf", text, problems);
        assertThat(c.mode()).isEqualTo(OpenVpnConfig.Mode.CLIENT);
        assertThat(c.pull()).isTrue();
        assertThat(c.transport()).isEqualTo(Packet.TCP);
        assertThat(c.port()).isZero();
        assertThat(c.remotes()).hasSize(2);
        assertThat(Ip4.format(c.remotes().get(0).addr())).isEqualTo("198.51.100.2");
        assertThat(c.remotes().get(0).port()).isEqualTo(443);
        assertThat(c.remotes().get(0).transport()).isEqualTo(Packet.TCP);
        assertThat(c.remotes().get(1).addr()).isNull();
        assertThat(c.remotes().get(1).transport()).isEqualTo(Packet.UDP);
        assertThat(c.redirectGateway().def1()).isTrue();
        assertThat(c.routeNoPull()).isTrue();
        assertThat(c.floatPeer()).isTrue();
        assertThat(c.pullFilters()).extracting(OpenVpnConfig.Option::text).containsExactly("ignore route 10.");
        // the host name stays unresolved: a network file's names: map resolves it, else the pairing says so
        assertThat(c.remotes().get(1).host()).isEqualTo("vpn.example.org");
        assertThat(problems).isEmpty();
    }

    @Test
    void routingDirectivesThatAreNotModelledAreProblems() {
        List<Problem> problems = new ArrayList<>();
        read("dev tun0\nserver 10.8.0.0 255.255.255.0\niroute 192.168.4.0 255.255.255.0\nroute-noexec\nlladdr 02:00:00:00:00:01\n", problems);
        assertThat(problems).extracting(p -> p.source().line() + " " + p.message()).satisfiesExactly(
                p -> assertThat(p).startsWith("3 iroute is only valid in a client-config-dir file"),
                p -> assertThat(p).startsWith("4 route-noexec:"),
                p -> assertThat(p).startsWith("5 OpenVPN directive \"lladdr\" is not simulated"));
    }

    @Test
    void quotingAndComments() {
        List<OpenVpnReader.Directive> d = OpenVpnReader.directives("f", "push \"route 1.2.3.0 255.255.255.0\" # x\n"
                + "  ; whole line\nsetenv A 'b c'\nx a\\ b\n");
        assertThat(d).extracting(OpenVpnReader.Directive::words).containsExactly(
                List.of("push", "route 1.2.3.0 255.255.255.0"), List.of("setenv", "A", "b c"), List.of("x", "a b"));
        assertThat(d.get(1).source().line()).isEqualTo(3);
    }

    @Test
    void badInputNamesFileAndLine() {
        assertThatThrownBy(() -> read("dev tun\nserver 10.8.0.0 255.255.0.255\n", new ArrayList<>()))
                .isInstanceOf(InputException.class).hasMessageContaining("not a netmask")
                .satisfies(e -> assertThat(((InputException) e).oneLine()).startsWith("gw/openvpn/server.conf:2:"));
        assertThatThrownBy(() -> read("dev tun\nport 70000\n", new ArrayList<>()))
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> read("dev tun\npush \"route 10.0.0.0\n", new ArrayList<>()))
                .hasMessageContaining("no closing quotation");
        assertThatThrownBy(() -> read("proto udp\n", new ArrayList<>())).hasMessageContaining("no dev directive");
        assertThatThrownBy(() -> read("dev tun\n<tls-auth>\nxx\n", new ArrayList<>()))
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> read("dev tun\nclient\nserver 10.8.0.0 255.255.255.0\n", new ArrayList<>()))
                .hasMessageContaining("cannot be used together");
        assertThatThrownBy(() -> read("dev tun\nserver 10.8.0.0 255.255.255.252\n", new ArrayList<>()))
                .hasMessageContaining("255.255.255.248 or lower");
    }

    @Test
    void ccdFile() {
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig.Ccd ccd = OpenVpnReader.readCcd("gw/openvpn/ccd/site-b", "site-b", """
                # site B's LAN
                iroute 192.168.4.0 255.255.255.0
                ifconfig-push 10.200.0.50 255.255.255.0
                push "route 10.198.0.0 255.255.0.0"
                port 1195
                """, problems);
        assertThat(ccd.commonName()).isEqualTo("site-b");
        assertThat(ccd.iroutes()).extracting(i -> i.net().toString()).containsExactly("192.168.4.0/24");
        assertThat(ccd.iroutes().get(0).source().where()).isEqualTo("gw/openvpn/ccd/site-b:2");
        assertThat(Ip4.format(ccd.ifconfigPush().local())).isEqualTo("10.200.0.50");
        assertThat(ccd.pushes()).hasSize(1);
        assertThat(problems).extracting(p -> p.source().line()).containsExactly(5);
        assertThatThrownBy(() -> OpenVpnReader.readCcd("c", "x", "iroute 192.168.4.1 255.255.255.0\n", problems))
                .hasMessageContaining("host bits");
    }

    // ---- status files, in the formats multi.c writes ----

    static final String STATUS_V1 = """
            OpenVPN CLIENT LIST
            Updated,2024-03-01 10:00:00
            Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since
            site-b,192.168.4.64:51234,12345,23456,2024-03-01 09:00:00
            laptop,203.0.113.9:1194,1,2,2024-03-01 09:30:00
            ROUTING TABLE
            Virtual Address,Common Name,Real Address,Last Ref
            192.168.4.10C,site-b,192.168.4.64:51234,2024-03-01 09:59:00
            10.200.0.2,site-b,192.168.4.64:51234,2024-03-01 09:59:00
            192.168.4.0/24,site-b,192.168.4.64:51234,2024-03-01 09:00:00
            10.200.0.3,laptop,203.0.113.9:1194,2024-03-01 09:59:00
            GLOBAL STATS
            Max bcast/mcast queue length,0
            END
            """;

    @Test
    void statusVersion1() {
        OpenVpnConfig.StatusLog s = OpenVpnReader.readStatus("gw/openvpn/status.log", STATUS_V1);
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.clients()).extracting(OpenVpnConfig.StatusClient::commonName).containsExactly("site-b", "laptop");
        assertThat(s.clients().get(0).virtualAddr()).isNull();
        assertThat(Ip4.format(s.clients().get(0).realAddr())).isEqualTo("192.168.4.64");
        assertThat(s.clients().get(0).realPort()).isEqualTo(51234);
        assertThat(s.routes()).extracting(r -> r.virtual() + (r.cached() ? "C" : "")).containsExactly(
                "192.168.4.10C", "10.200.0.2", "192.168.4.0/24", "10.200.0.3");
        assertThat(s.routes().get(2).source().line()).isEqualTo(10);
    }

    static final String STATUS_V2 = """
            TITLE,OpenVPN 2.6.9 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [MH/PKTINFO] [AEAD] [DCO]
            TIME,2024-03-01 10:00:00,1709287200
            HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,Bytes Sent,Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher
            CLIENT_LIST,site-b,192.168.4.64:51234,10.200.0.2,,12345,23456,2024-03-01 09:00:00,1709283600,UNDEF,0,0,AES-256-GCM
            CLIENT_LIST,laptop,udp4:203.0.113.9:1194,10.200.0.3,,1,2,2024-03-01 09:30:00,1709285400,UNDEF,1,1,AES-256-GCM
            HEADER,ROUTING_TABLE,Virtual Address,Common Name,Real Address,Last Ref,Last Ref (time_t)
            ROUTING_TABLE,10.200.0.2,site-b,192.168.4.64:51234,2024-03-01 09:59:00,1709287140
            ROUTING_TABLE,192.168.4.0/24,site-b,192.168.4.64:51234,2024-03-01 09:00:00,1709283600
            ROUTING_TABLE,10.200.0.3,laptop,udp4:203.0.113.9:1194,2024-03-01 09:59:00,1709287140
            GLOBAL_STATS,Max bcast/mcast queue length,0
            GLOBAL_STATS,dco_enabled,1
            END
            """;

    @Test
    void statusVersion2AndItsTabSeparatedVersion3() {
        for (String text : List.of(STATUS_V2, STATUS_V2.replace(',', '\t'))) {
            OpenVpnConfig.StatusLog s = OpenVpnReader.readStatus("gw/openvpn/status.log", text);
            assertThat(s.version()).isEqualTo(text == STATUS_V2 ? 2 : 3);
            assertThat(s.clients()).extracting(c -> c.commonName() + " " + Ip4.format(c.realAddr()) + ":" + c.realPort()
                    + " " + Ip4.format(c.virtualAddr())).containsExactly(
                    "site-b 192.168.4.64:51234 10.200.0.2", "laptop 203.0.113.9:1194 10.200.0.3");
            assertThat(s.routes()).extracting(r -> r.virtual().toString()).containsExactly("10.200.0.2", "192.168.4.0/24", "10.200.0.3");
        }
    }

    @Test
    void tapStatusHasMacAddresses() {
        OpenVpnConfig.StatusLog s = OpenVpnReader.readStatus("s", """
                OpenVPN CLIENT LIST
                Updated,Thu Jun 18 08:12:15 2015
                Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since
                c1,198.51.100.7:1194,1,2,Thu Jun 18 08:12:15 2015
                ROUTING TABLE
                Virtual Address,Common Name,Real Address,Last Ref
                ae:1f:3c:00:11:22@0,c1,198.51.100.7:1194,Thu Jun 18 08:12:15 2015
                GLOBAL STATS
                END
                """);
        assertThat(s.routes().get(0).mac()).isEqualTo("ae:1f:3c:00:11:22@0");
        assertThat(s.routes().get(0).virtual()).isNull();
    }

    /**
     * What a client of OpenVPN 2.6.14 writes with `status FILE 1`, checked in network namespaces for status-version
     * 1, 2 and 3 alike (sig.c print_status ignores the version); with compression four counters more, on Windows
     * the TAP driver's status, quoted.
     */
    @Test
    void aClientsStatusFileIsStatisticsAndNamesNoPeer() {
        assertThat(OpenVpnReader.readStatus("laptop/openvpn/status.log", """
                OpenVPN STATISTICS
                Updated,2026-12-02 07:17:44
                TUN/TAP read bytes,48
                TUN/TAP write bytes,0
                TCP/UDP read bytes,1973
                TCP/UDP write bytes,2008
                Auth read bytes,0
                END
                """)).isNull();
        assertThat(OpenVpnReader.readStatus("c.log", """
                OpenVPN STATISTICS
                Updated,Tue Mar  4 10:01:02 2025
                TUN/TAP read bytes,1024
                TUN/TAP write bytes,2048
                TCP/UDP read bytes,4096
                TCP/UDP write bytes,8192
                Auth read bytes,2048
                pre-compress bytes,0
                post-compress bytes,0
                pre-decompress bytes,0
                post-decompress bytes,0
                TAP-WIN32 driver status,"State=AT?c Err=[(null)/0] #O=3 Tx=[2,0,0] #I=1 Rx=[1,0,0] IrpQ=[1,1,16] PrQ=[0,0,16] RspQ=[0,0,16]"
                END
                """)).isNull();
    }

    @Test
    void badStatusFiles() {
        assertThatThrownBy(() -> OpenVpnReader.readStatus("s", "hello\n")).hasMessageContaining("not an OpenVPN status file");
        assertThatThrownBy(() -> OpenVpnReader.readStatus("s", STATUS_V1.replace("END\n", "")))
                .hasMessageContaining("without END");
        assertThatThrownBy(() -> OpenVpnReader.readStatus("s", STATUS_V2.replace("CLIENT_LIST,laptop,udp4:203.0.113.9:1194,10.200.0.3",
                "CLIENT_LIST,laptop,udp4:203.0.113.9:1194,10.200.0")))
                .satisfies(e -> assertThat(((InputException) e).oneLine()).startsWith("s:5: Virtual Address is not an IPv4 address"));
        assertThatThrownBy(() -> OpenVpnReader.readStatus("s", "OpenVPN STATISTICS\nUpdated,x\n"))
                .satisfies(e -> assertThat(((InputException) e).oneLine()).isEqualTo(
                        "s:3: status file ends without END (cut short while being written?)"));
        assertThatThrownBy(() -> OpenVpnReader.readStatus("s", "OpenVPN STATISTICS\nUpdated,x\ngarbage\nEND\n"))
                .satisfies(e -> assertThat(((InputException) e).oneLine()).startsWith("s:3: expected \"NAME,VALUE\""));
        assertThatThrownBy(() -> OpenVpnReader.readStatus("s", "TITLE,x\nCLIENT_LIST,a,1.2.3.4:5,10.0.0.2\nEND\n"))
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(2));
    }
}
