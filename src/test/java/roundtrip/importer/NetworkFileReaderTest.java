package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.WireGuardConfig;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkFileReaderTest {
    static final Path DIR = Path.of("src/test/resources/netfile");

    /** Probe id -> verdict for every probe of a network file. */
    static Map<String, String> verdicts(NetworkFileReader.Result r) {
        Simulator sim = new Simulator(r.network());
        Map<String, String> out = new LinkedHashMap<>();
        for (ProbeReader.LocatedProbe p : r.probes()) out.put(p.probe().id(), sim.run(p.probe(), false).verdict().name());
        return out;
    }

    /** Probe id -> expected verdict as the file writes it. */
    static Map<String, String> expected(NetworkFileReader.Result r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ProbeReader.LocatedProbe p : r.probes()) out.put(p.probe().id(), p.probe().expect());
        return out;
    }

    static NetworkFileReader.Result parse(String yaml) {
        return NetworkFileReader.parse("net.yaml", yaml, DIR);
    }

    @Test void ipsetTextGivesTheSetsMembers() {
        String yaml = String.join("\n",
                "hosts:",
                "  a: {interfaces: {eth0: 10.0.0.5/24}}",
                "  b: {interfaces: {eth0: 10.0.0.6/24}}",
                "  r:",
                "    interfaces: {eth0: 10.0.0.1/24}",
                "    iptables: |",
                "      *filter",
                "      :INPUT DROP [0:0]",
                "      -A INPUT -m set --match-set friends src -j ACCEPT",
                "      COMMIT",
                "    ipset: |",
                "      create friends hash:ip family inet hashsize 1024 maxelem 65536",
                "      add friends 10.0.0.5",
                "segments:",
                "  lan: [a:eth0, b:eth0, r:eth0]",
                "probes:",
                "  - {id: a-ping, from: a, to: 10.0.0.1, proto: icmp}",
                "  - {id: b-ping, from: b, to: 10.0.0.1, proto: icmp}",
                "");
        assertThat(verdicts(parse(yaml))).containsExactly(Map.entry("a-ping", "ROUND_TRIP_OK"), Map.entry("b-ping", "REPLY_LOST"));
        assertThatThrownBy(() -> parse(yaml.replace("add friends 10.0.0.5", "add enemies 10.0.0.5")))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.file()).isEqualTo("net.yaml");
                    assertThat(e.line()).isEqualTo(13);
                    assertThat(e.getMessage()).contains("set enemies is added to before it is created");
                });
    }

    @Test void s1AsANetworkFileGivesTheStoryVerdicts() {
        NetworkFileReader.Result broken = NetworkFileReader.read(DIR.resolve("s1-broken.yaml"));
        assertThat(verdicts(broken)).containsExactly(
                Map.entry("pc-ping-router", "ROUND_TRIP_OK"), Map.entry("pc-ssh-nas", "ROUND_TRIP_OK"),
                Map.entry("pc-ping-vm", "REPLY_LOST"), Map.entry("pc-ssh-vm", "REPLY_LOST"));
        NetworkFileReader.Result fixed = NetworkFileReader.read(DIR.resolve("s1-fixed.yaml"));
        assertThat(verdicts(fixed)).allSatisfy((id, v) -> assertThat(v).isEqualTo("ROUND_TRIP_OK"));
    }

    @Test void intentRulesAreQuotedAtTheirYamlLine() {
        NetworkFileReader.Result fixed = NetworkFileReader.read(DIR.resolve("s1-fixed.yaml"));
        roundtrip.model.Probe ssh = fixed.probes().stream().filter(p -> p.probe().id().equals("pc-ssh-vm")).findFirst().orElseThrow().probe();
        ProbeResult r = new Simulator(fixed.network()).run(ssh, true);
        String trace = roundtrip.report.TextReport.trace(r);
        assertThat(trace).contains("s1-fixed.yaml:20: -A POSTROUTING -o lan1 -s 10.1.1.0/24 -d 192.168.78.0/24 -j SNAT --to-source 192.168.78.1");
    }

    @Test void kernelMadeRoutesMatchWhatANamespaceShowsForTheSameAddresses() throws Exception {
        // captured with ip -j -d route show table all in a namespace given exactly these addresses (kernel 6.18)
        NetworkFileReader.Result r = parse("""
                hosts:
                  h:
                    interfaces:
                      eth0: 203.0.113.10/24
                      eth1: 10.1.2.3/30
                      eth2: [10.9.9.9/32, 192.168.1.1/16]
                      eth3: [10.8.0.1/31, 10.8.0.5/24, 172.16.0.1/12, 10.8.0.6/24]
                      eth4: {address: 10.7.0.1/24, up: false}
                      tun0: {address: ["10.6.0.1 peer 10.6.0.2", "10.5.0.1 peer 10.5.0.0/24"], kind: tun}
                """);
        List<Route> real = IpRouteReader.read("kernel-routes.json",
                Files.readString(DIR.resolve("kernel-routes.json")), new ArrayList<>());
        // the IPv6 state every interface gets by itself (fe80::/64, ff00::/8, ::1) is not derived from a description
        real = real.stream().filter(x -> !KernelRoutes.isAutomatic(x)).toList();
        assertThat(routeSet(r.network().host("h").routes())).isEqualTo(routeSet(real));
    }

    private static Set<String> routeSet(List<Route> routes) {
        Set<String> out = new TreeSet<>();
        for (Route r : routes)
            out.add(r.table() + " " + r.type() + " " + r.dst() + " dev " + r.dev() + " src " + (r.prefSrc() == null ? "-" : String.valueOf(r.prefSrc()))
                    + " scope " + r.scope() + " via " + r.gateway() + " metric " + r.metric());
        return out;
    }

    @Test void routesFollowIpRouteAddSyntaxAndTheKernelsDefaults() {
        Host h = parse("""
                hosts:
                  h:
                    interfaces: {eth0: 192.168.1.2/24, tun0: {address: 10.8.0.2/24, kind: tun}, lo: 10.255.0.1/32}
                    tables: {vpn: 100}
                    routes:
                      - default via 192.168.1.1
                      - 10.0.0.0/8 via 10.8.0.1 dev tun0 table 100 metric 5
                      - 10.50.0.0/16 via 10.8.0.1 table vpn
                      - blackhole 10.66.0.0/16
                      - unreachable 10.67.0.0/16
                      - prohibit 10.68.0.0/16
                      - throw 10.69.0.0/16 table 100
                      - local 0.0.0.0/0 dev lo table 100
                      - local 10.99.0.1 dev eth0
                      - 172.16.0.0/12 via 192.168.1.254 src 192.168.1.2
                      - 100.64.0.0/10 via 10.200.0.1 dev eth0 onlink
                      - 198.18.0.0/15 dev eth0
                """).network().host("h");
        Map<String, Route> byText = new LinkedHashMap<>();
        for (Route r : h.routes()) if (r.source().file().equals("net.yaml") && !r.source().text().contains("kernel")) byText.put(r.text(), r);
        assertThat(byText.keySet()).contains(
                "default via 192.168.1.1 dev eth0",
                "10.0.0.0/8 via 10.8.0.1 dev tun0 table 100 metric 5",
                "10.50.0.0/16 via 10.8.0.1 dev tun0 table 100",
                "blackhole 10.66.0.0/16", "unreachable 10.67.0.0/16", "prohibit 10.68.0.0/16",
                "throw 10.69.0.0/16 table 100",
                "local default dev lo table 100 scope host",
                "local 10.99.0.1 dev eth0 table local scope host",
                "172.16.0.0/12 via 192.168.1.254 dev eth0 src 192.168.1.2",
                "100.64.0.0/10 via 10.200.0.1 dev eth0 onlink",
                "198.18.0.0/15 dev eth0 scope link");
        assertThat(h.routes()).anySatisfy(r -> {
            assertThat(r.type()).isEqualTo(RouteType.LOCAL);
            assertThat(r.dst().toString()).isEqualTo("10.255.0.1");
        });
    }

    @Test void rulesGetTheKernelsPrioritiesAndTheDefaultRules() {
        Host h = parse("""
                hosts:
                  h:
                    interfaces: {eth0: 192.168.1.2/24, tun0: 10.8.0.2/24}
                    rules:
                      - from 10.0.0.0/8 lookup 100
                      - fwmark 0x1234/0xffff lookup 1234
                      - not fwmark 0xca6c table 51820
                      - from 1.2.3.4 priority 100 lookup 5
                      - lookup main suppress_prefixlength 0
                      - iif eth0 to 1.2.3.4 goto 32766
                      - from all oif tun0 unreachable
                      - from 5.5.5.5
                """).network().host("h");
        List<String> texts = h.rules().stream().map(Rule::text).toList();
        // without priority: the second rule's priority minus one, as ip rule add does (checked in a namespace)
        assertThat(texts).containsExactly(
                "0:\tfrom all lookup local",
                "96:\tfrom 5.5.5.5 lookup main",
                "97:\tfrom all oif tun0 unreachable",
                "98:\tfrom all to 1.2.3.4 iif eth0 goto 32766",
                "99:\tfrom all lookup main suppress_prefixlength 0",
                "100:\tfrom 1.2.3.4 lookup 5",
                "32763:\tnot from all fwmark 0xca6c lookup 51820",
                "32764:\tfrom all fwmark 0x1234/0xffff lookup 1234",
                "32765:\tfrom 10.0.0.0/8 lookup 100",
                "32766:\tfrom all lookup main",
                "32767:\tfrom all lookup default");
    }

    @Test void inlineIptablesIsQuotedWithTheLinesOfTheYamlFile() {
        Host h = parse("""
                hosts:
                  r:
                    interfaces: {eth0: 10.0.0.1/24}
                    iptables: |
                      *filter
                      :INPUT ACCEPT [0:0]
                      -A INPUT -p tcp --dport 23 -j DROP
                      -A INPUT -m frobnicate --zap -j ACCEPT
                      COMMIT
                """).network().host("r");
        assertThat(h.problems()).anySatisfy(p -> assertThat(p.source().where()).isEqualTo("net.yaml:8"));
        assertThatThrownBy(() -> parse("""
                hosts:
                  r:
                    interfaces: {eth0: 10.0.0.1/24}
                    iptables: |
                      *filter
                      -A INPUT -j ACCEPT
                """)).isInstanceOf(InputException.class).satisfies(e -> {
            assertThat(((InputException) e).file()).isEqualTo("net.yaml");
            assertThat(((InputException) e).line()).isEqualTo(5);
        });
    }

    @Test void aNetworkFileCanPullInASnapshotHost() {
        NetworkFileReader.Result r = parse("""
                hosts:
                  nas-vm: {snapshot: ../snapshots/real-lab/nas}
                  laptop:
                    interfaces: {eth0: 192.168.78.50/24}
                segments:
                  lan: [nas-vm:eth0, laptop:eth0]
                probes:
                  - {id: ping-vm, from: laptop, to: 192.168.78.19}
                """);
        Host vm = r.network().host("nas-vm");
        assertThat(vm.interfaces()).containsKeys("lo", "eth0");
        assertThat(vm.routes().get(0).source().file()).startsWith("../snapshots/real-lab/nas/");
        assertThat(verdicts(r)).containsEntry("ping-vm", "ROUND_TRIP_OK");
    }

    @Test void hostsAreManagedUnlessTheFileSaysOtherwise() {
        NetworkFileReader.Result r = parse("""
                hosts:
                  pi:
                    interfaces: {eth0: 192.168.1.20/24}
                  isp-router:
                    managed: false
                    interfaces: {lan: 192.168.1.1/24}
                  friend:
                    managed: true
                    openwrt: {network: "config interface 'lan'\\n\\toption device 'br-lan'\\n\\toption proto 'static'\\n\\toption ipaddr '192.168.1.30/24'"}
                  nas-vm: {snapshot: ../snapshots/real-lab/nas}
                segments:
                  lan: [pi:eth0, isp-router:lan]
                """);
        assertThat(r.network().host("pi").managed()).isTrue();
        assertThat(r.network().host("isp-router").managed()).isFalse();
        assertThat(r.network().host("friend").managed()).isTrue();
        assertThat(r.network().host("nas-vm").managed()).isTrue();
        // the flag survives the copies a fix or a pushed route makes of a host
        assertThat(r.network().host("isp-router").withManaged(true).managed()).isTrue();

        assertError("""
                hosts:
                  isp:
                    interfaces: {wan: 203.0.113.1/24}
                    managed: perhaps
                """, 4, "\"managed\" must be true or false");
        assertError("""
                hosts:
                  nas-vm:
                    snapshot: ../snapshots/real-lab/nas
                    managed: false
                """, 4, "a collected host is always managed");
    }

    @Test void nftTextIsEvaluatedAndItsRulesAreQuotedAtTheirLineInTheFile() {
        NetworkFileReader.Result r = parse("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                  b:
                    interfaces: {eth0: 10.0.0.2/24}
                    listen: [tcp/22, tcp/80]
                    nft: |
                      define SSH = 22
                      table inet f {
                        chain input {
                          type filter hook input priority filter; policy drop;
                          ct state established,related accept
                          tcp dport $SSH accept
                          icmp type echo-request counter drop comment "no ping"
                        }
                      }
                segments: {l: [a:eth0, b:eth0]}
                probes:
                  - {id: ssh, from: a, to: 10.0.0.2, proto: tcp, dport: 22}
                  - {id: ping, from: a, to: 10.0.0.2}
                  - {id: http, from: a, to: 10.0.0.2, proto: tcp, dport: 80}
                """);
        Host b = r.network().host("b");
        assertThat(b.problems()).isEmpty();
        assertThat(verdicts(r)).containsExactly(Map.entry("ssh", "ROUND_TRIP_OK"), Map.entry("ping", "REPLY_LOST"),
                Map.entry("http", "REPLY_LOST"));
        List<roundtrip.netfilter.nft.NftRuleset.RuleInfo> rules = ((roundtrip.netfilter.nft.NftRuleset) b.firewall()).rules();
        assertThat(rules.get(2).source()).isEqualTo(new roundtrip.model.Source("net.yaml", 14,
                "icmp type echo-request counter drop comment \"no ping\""));
        for (var p : r.probes())
            assertThat(new Simulator(r.network()).run(p.probe(), false).certain()).as(p.probe().id()).isTrue();
    }

    @Test void nftTextWithAnIncludeMakesEveryProbeThroughTheHostUncertain() {
        NetworkFileReader.Result r = parse("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                  b:
                    interfaces: {eth0: 10.0.0.2/24}
                    nft: |
                      include "/etc/nftables.d/*.nft"
                      table inet f { chain input { type filter hook input priority 0; policy accept; } }
                segments: {l: [a:eth0, b:eth0]}
                probes: [{from: a, to: 10.0.0.2}]
                """);
        assertThat(r.network().host("b").problems()).anySatisfy(p -> {
            assertThat(p.source().line()).isEqualTo(7);
            assertThat(p.message().english()).contains("include not followed");
        });
        ProbeResult res = new Simulator(r.network()).run(r.probes().get(0).probe(), false);
        assertThat(res.certain()).isFalse();
    }

    @Test void openVpnConfigsAreReadWithTheirCcdFilesAndDevTunNamesTheDeclaredTun() {
        Host h = parse("""
                hosts:
                  srv:
                    interfaces: {eth0: 198.51.100.2/24, tun0: {address: 10.8.0.1/24, kind: tun}}
                    openvpn:
                      server: "server 10.8.0.0 255.255.255.0\\ntopology subnet\\ndev tun\\nclient-config-dir ccd\\nroute 192.168.4.0 255.255.255.0"
                      ccd: {siteb: "iroute 192.168.4.0 255.255.255.0"}
                """).network().host("srv");
        roundtrip.model.OpenVpnConfig c = (roundtrip.model.OpenVpnConfig) h.tunnels().get(0);
        assertThat(c.device()).isEqualTo("tun0");
        assertThat(c.isServer()).isTrue();
        assertThat(c.ccds()).hasSize(1);
    }

    @Test void openVpnMakesItsTunWhenNotDeclared() {
        // as open_tun does: the device exists once the daemon runs; without a server to give it an address it has none
        Host h = parse("""
                hosts:
                  pc:
                    interfaces: {eth0: 10.0.0.1/24, tun0: {kind: tun}}
                    openvpn: {client: "client\\ndev tun\\nremote 198.51.100.2 1194"}
                """).network().host("pc");
        assertThat(h.iface("tun0").addresses()).isEmpty();
        assertThat(((roundtrip.model.OpenVpnConfig) h.tunnels().get(0)).device()).isEqualTo("tun0");
        assertThat(parse("""
                hosts:
                  pc:
                    interfaces: {eth0: 10.0.0.1/24}
                    openvpn: {client: "client\\ndev tun\\nremote 198.51.100.2 1194"}
                """).network().host("pc").iface("tun0").kind()).isEqualTo("tun");
    }

    @Test void wireGuardTextIsReadWithYamlLines() {
        Host h = parse("""
                hosts:
                  a:
                    interfaces: {wg0: {address: 10.66.0.1/24, kind: wireguard}, eth0: 192.0.2.1/24}
                    wireguard:
                      wg0: |
                        [Interface]
                        PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
                        ListenPort = 51820

                        [Peer]
                        PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
                        AllowedIPs = 10.66.0.2/32, 192.168.20.0/24
                        Endpoint = 192.0.2.2:51820
                """).network().host("a");
        WireGuardConfig wg = (WireGuardConfig) h.tunnels().get(0);
        assertThat(wg.listenPort()).isEqualTo(51820);
        assertThat(wg.peers().get(0).allowedIpsSource().where()).isEqualTo("net.yaml:12");
        assertThatThrownBy(() -> parse("""
                hosts:
                  a:
                    interfaces: {eth0: 192.0.2.1/24}
                    wireguard: {wg0: "[Interface]\\nListenPort = 1"}
                """)).isInstanceOf(InputException.class).hasMessageContaining("no interface wg0");
    }

    @Test void listenAndSysctlAndInterfaceKinds() {
        Host h = parse("""
                hosts:
                  h:
                    interfaces:
                      br0: {address: 192.168.1.1/24, kind: bridge}
                      eth1: {master: br0}
                      wg0: {address: 10.0.0.1/24, kind: wireguard}
                    sysctl: {net.ipv4.ip_forward: 1, net.ipv4.conf.all.rp_filter: 2}
                    listen: [tcp/22, udp/53, tcp/192.168.1.1:80]
                """).network().host("h");
        assertThat(h.iface("eth1").master()).isEqualTo("br0");
        assertThat(h.iface("wg0").noArp()).isTrue();
        assertThat(h.iface("wg0").mtu()).isEqualTo(1420);
        assertThat(h.sysctls().ipForward()).isTrue();
        assertThat(h.sysctls().rpFilter("eth1")).isEqualTo(2);
        assertThat(h.listeners()).hasSize(3);
        assertThat(parse("hosts: {h: {interfaces: {eth0: 10.0.0.1/24}}}").network().host("h").listeners()).isNull();
    }

    @Test void badInputNamesFileAndLine() {
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    colour: blue
                """, 4, "unknown key \"colour\"");
        assertError("""
                hosts:
                  a:
                    interfaces:
                      eth0: 10.0.0.300/24
                """, 4, "not an address");
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    routes:
                      - default via 10.0.0.254
                      - 10.1.0.0/16 dev eth9
                """, 6, "no interface \"eth9\"");
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    routes: [10.1.0.0/16 via 10.2.0.1]
                """, 4, "not on a connected subnet");
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    routes: [10.1.0.5/16 dev eth0]
                """, 4, "invalid prefix");
        assertError("""
                hosts:
                  a: {interfaces: {eth0: 10.0.0.1/24}}
                  a: {interfaces: {eth0: 10.0.0.2/24}}
                """, 3, "a duplicate key: \"a\" is already at line 2");
        assertError("""
                hosts:
                  a: {interfaces: {eth0: 10.0.0.1/24}}
                segments:
                  lan:
                    - a:eth0
                    - b:eth0
                """, 6, "unknown host \"b\"");
        assertError("""
                hosts:
                  a: {interfaces: {eth0: 10.0.0.1/24}}
                segments:
                  lan: [a:eth1]
                """, 4, "has no interface \"eth1\"");
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    rules: [from 10.0.0.0/8 lookup nowhere]
                """, 4, "unknown table");
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    masquerade: [{out: wan}]
                """, 4, "no interface \"wan\"");
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    nat: [{source: 10.1.0.0/16, out: eth0}]
                """, 4, "missing \"to-source\"");
        // YAML mistakes in words, at the line to fix
        assertError("hosts:\n  a: [1, 2\n", 2, "a '[' here is never closed by ']'");
        assertError("hosts:\n  a:\n\tinterfaces: {eth0: 10.0.0.1/24}\n", 3, "a tab character: YAML indents with spaces only");
        assertError("hosts:\n  a:\n    interfaces: {eth0: 10.0.0.1/24}\n   routes: [default via 10.0.0.2]\n", 4,
                "inconsistent indentation: this line does not line up with the keys of the map that starts at line 2");
        assertError("hosts:\n  a:\n    interfaces: {eth0: 10.0.0.1/24\n", 3, "a '{' here is never closed by '}'");
        assertError("hosts:\n  a:\n    interfaces: {eth0: 10.0.0.1/24}\n    routes: \"default via 10.0.0.2\n", 4,
                "a quotation mark here is never closed");
        assertError("hosts:\n  a:\n    interfaces: eth0: 10.0.0.1/24\n", 3, "a ':' where no key can start");
        assertError("""
                hosts:
                  a: {interfaces: {eth0: 10.0.0.1/24}}
                probes:
                  - {from: a, to: 10.0.0.9, proto: tcp}
                """, 4, "needs \"dport\"");
    }

    @Test void aRouteTheKernelAlreadyHasIsNotNeededAndADuplicateIsRefused() {
        Host h = parse("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    routes: [10.0.0.0/24 dev eth0]
                """).network().host("a");
        assertThat(h.problems()).anySatisfy(p -> assertThat(p.message().english()).contains("kernel already adds"));
        assertError("""
                hosts:
                  a:
                    interfaces: {eth0: 10.0.0.1/24}
                    routes:
                      - 10.1.0.0/16 dev eth0
                      - 10.1.0.0/16 via 10.0.0.254
                """, 6, "File exists");
    }

    private static void assertError(String yaml, int line, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(InputException.class)
                .hasMessageContaining(message)
                .satisfies(e -> {
                    assertThat(((InputException) e).file()).isEqualTo("net.yaml");
                    assertThat(((InputException) e).line()).isEqualTo(line);
                });
    }

    @Test void networkFileHostsMayJoinSegmentsWithSnapshotHosts() {
        Network snap = SnapshotLoader.load(Path.of("src/test/resources/snapshots/office"));
        Path file = DIR.resolve("laptop-joins-office.yaml");
        NetworkFileReader.Result r = NetworkFileReader.read(file, snap.hosts());
        assertThat(r.network().hosts()).containsOnlyKeys("laptop");
        assertThat(r.network().segments().get(0).members()).extracting(Object::toString).containsExactly("gw:lan0", "laptop:eth0");
    }
}
