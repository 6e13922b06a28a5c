package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.WireGuardConfig;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** wg-quick files in a network file mean what `wg-quick up` does (wireguard-tools src/wg-quick/linux.bash). */
class WgQuickTest {
    static final String KEY_A = "iLMscTLek3Vs+wulw00xdx9S5CUwFK4O3FjjwmnLSGM=";
    static final String PUB_B = "zQtfeu5hBQyZQGhY/utfIhTzVyoIMy49Ie8GzfkLeV0=";

    static Host host(String hostYaml) {
        String text = "hosts:\n  h:\n" + hostYaml.indent(4);
        return NetworkFileReader.parse("net.yaml", text, null).network().hosts().get("h");
    }

    static String wg(String iface, String peer) {
        return "[Interface]\nPrivateKey = " + KEY_A + "\n" + iface + "\n[Peer]\nPublicKey = " + PUB_B + "\n" + peer + "\n";
    }

    static Host withWg(String wgText) {
        return host("interfaces: {eth0: 192.168.1.50/24}\nroutes: [default via 192.168.1.1]\nwireguard:\n  wg0: |\n"
                + wgText.indent(4));
    }

    static List<String> routes(Host h) { return h.routes().stream().map(Route::text).toList(); }

    static List<String> rules(Host h) { return h.rules().stream().map(r -> r.text().replace('\t', ' ')).toList(); }

    static WireGuardConfig config(Host h) { return (WireGuardConfig) h.tunnels().get(0); }

    @Test
    void commentsAreStrippedAsWgStripsThem() {
        List<Problem> problems = new ArrayList<>();
        WireGuardReader.Parsed p = WireGuardReader.parse("wg0.conf", "wg0", """
                [interface]   # sections compare without case
                PrivateKey=%s#no blank before the comment
                  ListenPort = 51 820
                Address = 10.0.0.2/24 # the tunnel address
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.0/24, 192.168.5.0/24 # the office
                """.formatted(KEY_A, PUB_B), problems, Map.of());
        assertThat(problems).isEmpty();
        assertThat(p.config().listenPort()).isEqualTo(51820);
        assertThat(p.config().peers().get(0).allowedIps()).hasToString("[10.0.0.0/24, 192.168.5.0/24]");
        assertThat(p.quick().addresses()).extracting(WireGuardReader.Setting::value).containsExactly("10.0.0.2/24");
        assertThat(p.quick().present()).isTrue();
    }

    @Test
    void endpointNamesComeFromTheNamesMapOrAreWarned() {
        List<Problem> problems = new ArrayList<>();
        String text = wg("", "Endpoint = VPN.example.net:51820\nAllowedIPs = 10.0.0.0/24");
        WireGuardConfig resolved = WireGuardReader.parse("f", "wg0", text, problems, Map.of("vpn.example.net", Ip.parse("203.0.113.5"))).config();
        assertThat(problems).isEmpty();
        assertThat(resolved.peers().get(0).endpointAddr()).isEqualTo(Ip.parse("203.0.113.5"));
        assertThat(resolved.peers().get(0).endpointPort()).isEqualTo(51820);
        WireGuardConfig unresolved = WireGuardReader.parse("f", "wg0", text, problems, Map.of()).config();
        assertThat(unresolved.peers().get(0).endpointAddr()).isNull();
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message().english())
                .contains("Endpoint VPN.example.net", "names:", "the peer has no endpoint"));
    }

    @Test
    void addressesMtuAndRoutesOfAllowedIpsInMain() {
        Host h = withWg(wg("Address = 10.0.0.2/24, fd00::2/64, 10.9.9.9", "AllowedIPs = 10.0.0.1/32, 10.0.0.0/24, 192.168.5.0/24, 172.16.0.0/12"));
        assertThat(h.iface("wg0").kind()).isEqualTo("wireguard");
        assertThat(h.iface("wg0").addresses()).extracting(a -> a.local() + "/" + a.prefixLen())
                .containsExactly("10.0.0.2/24", "fd00::2/64", "10.9.9.9/32");
        // set_mtu_up: the endpoint is unknown, so the default route's device (eth0, 1500) less 80
        assertThat(h.iface("wg0").mtu()).isEqualTo(1420);
        // the /24 and the /32 inside it are covered by the address's own route: `ip route show dev wg0 match` finds it
        assertThat(routes(h)).contains("192.168.5.0/24 dev wg0 scope link", "172.16.0.0/12 dev wg0 scope link")
                .noneMatch(r -> r.startsWith("10.0.0.1 ") || r.equals("10.0.0.0/24 dev wg0"));
        assertThat(rules(h)).noneMatch(r -> r.contains("51820"));
        assertThat(config(h).fwmark()).isZero();
    }

    @Test
    void mtuGivenOrFromTheWayToTheEndpoint() {
        Host given = withWg(wg("Address = 10.0.0.2/24\nMTU = 1280", "AllowedIPs = 10.0.0.0/24"));
        assertThat(given.iface("wg0").mtu()).isEqualTo(1280);
        Host viaEndpoint = host("""
                interfaces: {eth0: 192.168.1.50/24, ppp0: {address: 100.64.0.2/30, mtu: 1492}}
                routes: [default via 192.168.1.1, 198.51.100.0/24 via 100.64.0.1]
                wireguard:
                  wg0: |
                """ + wg("Address = 10.0.0.2/24", "Endpoint = 198.51.100.7:51820\nAllowedIPs = 10.0.0.0/24").indent(4));
        assertThat(viaEndpoint.iface("wg0").mtu()).isEqualTo(1412);
    }

    @Test
    void defaultRouteGetsWgQuicksPolicyRouting() {
        Host h = withWg(wg("Address = 10.66.0.2/24, fd42::2/64", "Endpoint = 203.0.113.5:51820\nAllowedIPs = 0.0.0.0/0, ::/0"));
        assertThat(config(h).fwmark()).isEqualTo(51820);
        assertThat(routes(h)).contains("default dev wg0 table 51820 scope link").noneMatch(r -> r.startsWith("default dev wg0 ") && !r.contains("table"));
        assertThat(h.rules()).filteredOn(r -> r.family() == Ip.Family.IPV4).extracting(r -> r.text().replace('\t', ' ')).containsExactly(
                "0: from all lookup local", "32764: from all lookup main suppress_prefixlength 0",
                "32765: not from all fwmark 0xca6c lookup 51820", "32766: from all lookup main", "32767: from all lookup default");
        assertThat(h.rules()).filteredOn(r -> r.family() == Ip.Family.IPV6).extracting(r -> r.text().replace('\t', ' '))
                .contains("32765: not from all fwmark 0xca6c lookup 51820", "32764: from all lookup main suppress_prefixlength 0");
        assertThat(h.sysctls().get("net.ipv4.conf.all.src_valid_mark")).isEqualTo("1");
        // wg-quick's nftables table: what is sent to its address from elsewhere is dropped in raw prerouting
        assertThat(h.firewall()).isNotNull();
        assertThat(h.problems()).extracting((p -> p.message().english())).noneMatch(m -> m.contains("unknown") || m.contains("not understood"));
    }

    @Test
    void fwmarkGivenNamesTheTableAndATakenTableIsSkipped() {
        Host marked = withWg(wg("Address = 10.66.0.2/24\nFwMark = 0x1234", "AllowedIPs = 0.0.0.0/0"));
        assertThat(config(marked).fwmark()).isEqualTo(0x1234);
        assertThat(routes(marked)).contains("default dev wg0 table 4660 scope link");
        Host taken = host("interfaces: {eth0: 192.168.1.50/24}\nroutes: [default via 192.168.1.1, 10.1.0.0/16 via 192.168.1.2 table 51820]\n"
                + "wireguard:\n  wg0: |\n" + wg("Address = 10.66.0.2/24", "AllowedIPs = 0.0.0.0/0").indent(4));
        assertThat(config(taken).fwmark()).isEqualTo(51821);
        assertThat(routes(taken)).contains("default dev wg0 table 51821 scope link");
    }

    @Test
    void tableOffAddsNoRouteAndTableNPutsEveryRouteThere() {
        Host off = withWg(wg("Address = 10.66.0.2/24\nTable = off", "AllowedIPs = 0.0.0.0/0, 192.168.5.0/24"));
        assertThat(routes(off)).noneMatch(r -> r.contains("wg0") && !r.contains("10.66.0."));
        assertThat(config(off).fwmark()).isZero();
        Host numbered = withWg(wg("Address = 10.66.0.2/24\nTable = 1234", "AllowedIPs = 0.0.0.0/0, 10.66.0.0/24"));
        assertThat(routes(numbered)).contains("default dev wg0 table 1234 scope link", "10.66.0.0/24 dev wg0 table 1234 scope link");
        assertThat(rules(numbered)).noneMatch(r -> r.contains("fwmark") || r.contains("suppress"));
        assertThat(config(numbered).fwmark()).isZero();
    }

    @Test
    void hooksRunAgainstTheHostAndOthersAreReported() {
        Host h = host("""
                interfaces: {eth0: 203.0.113.5/24}
                routes: [default via 203.0.113.1]
                iptables: |
                  *filter
                  :FORWARD DROP [0:0]
                  -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                  COMMIT
                wireguard:
                  wg0: |
                    [Interface]
                    PrivateKey = %s
                    Address = 10.66.0.1/24
                    PreUp = sysctl -w net.ipv4.ip_forward=1
                    PostUp = iptables -I FORWARD 1 -i %%i -j ACCEPT; iptables -t nat -A POSTROUTING -s 10.66.0.0/24 -o eth0 -j MASQUERADE
                    PostUp = ip rule add from 10.66.0.0/24 table 200 && ip route add default via 203.0.113.1 table 200
                    PostUp = ip6tables -A FORWARD -i %%i -j ACCEPT; resolvconf -u
                    PostDown = iptables -D FORWARD -i %%i -j ACCEPT
                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.66.0.2/32
                """.formatted(KEY_A, PUB_B));
        assertThat(h.sysctls().get("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(rules(h)).contains("32765: from 10.66.0.0/24 lookup 200");
        assertThat(routes(h)).contains("default via 203.0.113.1 dev eth0 table 200");
        String fw = ((roundtrip.netfilter.iptables.IptablesRuleset) h.firewall().iptablesPart()).text();
        assertThat(fw).containsSubsequence("-A FORWARD -i wg0 -j ACCEPT", "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")
                .contains("-A POSTROUTING -s 10.66.0.0/24 -o eth0 -j MASQUERADE").doesNotContain("ip6tables");
        // the hook's ip6tables command runs against the host's IPv6 rules, beside its IPv4 ones
        String fw6 = ((roundtrip.netfilter.iptables.IptablesRuleset) h.firewall().ip6tablesPart()).text();
        assertThat(fw6).contains("-A FORWARD -i wg0 -j ACCEPT").doesNotContain("MASQUERADE");
        assertThat(h.problems()).extracting((p -> p.message().english())).noneMatch(m -> m.contains("ip6tables"))
                .anyMatch(m -> m.contains("\"resolvconf\" is not run"));
    }

    @Test
    void hookRulesAlreadyInPastedIptablesAreNotAddedTwice() {
        IptablesText t = IptablesText.fromSave("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n", n -> n + 10, 10);
        List<Problem> problems = new ArrayList<>();
        WgQuickUp.applyIptables(t, List.of(new WgQuickUp.IptablesCommand(List.of("-t", "nat", "-A", "POSTROUTING", "-o", "eth0", "-j", "MASQUERADE"),
                new roundtrip.model.Source("f", 3, "PostUp"))), problems);
        assertThat(t.text()).containsOnlyOnce("-A POSTROUTING -o eth0 -j MASQUERADE");
        WgQuickUp.applyIptables(t, List.of(new WgQuickUp.IptablesCommand(List.of("-I", "POSTROUTING", "-o", "wg0", "-j", "ACCEPT"),
                new roundtrip.model.Source("f", 4, "PostUp")), new WgQuickUp.IptablesCommand(List.of("-t", "nat", "-I", "POSTROUTING", "-o", "wg0", "-j", "ACCEPT"),
                new roundtrip.model.Source("f", 4, "PostUp"))), problems);
        assertThat(t.text()).contains("*filter").containsSubsequence("-A POSTROUTING -o wg0 -j ACCEPT", "-A POSTROUTING -o eth0 -j MASQUERADE");
        assertThat(problems).isEmpty();
    }

    @Test
    void shellWordsSplitAsBashDoes() {
        assertThat(ShellWords.commands("iptables -A X -m comment --comment \"wg rule\" -j ACCEPT; echo 'a;b' && ip r # done"))
                .containsExactly(List.of("iptables", "-A", "X", "-m", "comment", "--comment", "wg rule", "-j", "ACCEPT"),
                        List.of("echo", "a;b"), List.of("ip", "r"));
    }

    @Test
    void anErrorWgQuickRefusesSaysItsSentenceById() {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> withWg(wg("Address = 10.0.0.2/24\nMTU = 40", "AllowedIPs = 10.0.0.0/24")));
        assertThat(e).isInstanceOf(InputException.class).hasMessage("MTU out of range: 40");
        InputException ie = (InputException) e;
        assertThat(ie.message().id()).isEqualTo(Sentences.MTU_OUT_OF_RANGE);
        assertThat(roundtrip.report.Zh.text(ie.message())).isEqualTo("MTU 超出范围：40");
        Throwable noIface = org.assertj.core.api.Assertions.catchThrowable(() -> withWg(wg("ListenPort = 51820", "AllowedIPs = 10.0.0.0/24")));
        assertThat(((InputException) noIface).message().id()).isEqualTo(Sentences.WG_NO_INTERFACE);
    }

    @Test
    void setconfTextWithoutWgQuickSettingsAddsNoRouteAndNeedsItsInterface() {
        assertThatThrownBy(() -> withWg(wg("ListenPort = 51820", "AllowedIPs = 10.0.0.0/24")))
                .isInstanceOf(InputException.class).hasMessageContaining("no interface wg0");
        Host h = host("interfaces: {eth0: 192.168.1.50/24, wg0: {address: 10.0.0.2/24, kind: wireguard}}\nwireguard:\n  wg0: |\n"
                + wg("ListenPort = 51820", "AllowedIPs = 0.0.0.0/0").indent(4));
        assertThat(routes(h)).noneMatch(r -> r.startsWith("default"));
    }

    @Test
    void fullTunnelClientSimulatesWithoutAnythingAddedByHand() throws Exception {
        Path file = Path.of("src/test/resources/wgquick/full-tunnel.yaml");
        NetworkFileReader.Result r = NetworkFileReader.read(file);
        Simulator sim = new Simulator(r.network());
        for (ProbeReader.LocatedProbe p : r.probes()) {
            ProbeResult res = sim.run(p.probe());
            assertThat(res.verdict().name()).as(p.probe().id() + " " + res).isEqualTo(p.probe().expect());
        }
        assertThat(Files.readString(file)).doesNotContain("FwMark");
    }

    /** The conformance scenario's network file, simulated without a lab: the verdicts the scenario claims for the kernel. */
    @Test
    void conformanceScenarioNetworkFileGivesTheClaimedVerdicts() {
        roundtrip.lab.Scenario sc = roundtrip.lab.Scenario.load(Path.of("src/test/resources/scenarios/f-wg-quick-full-tunnel.yaml"));
        NetworkFileReader.Result r = NetworkFileReader.read(Path.of("src/test/resources/scenarios").resolve(sc.network));
        Simulator sim = new Simulator(r.network());
        List<String> wrong = new ArrayList<>();
        for (roundtrip.lab.Scenario.ProbeSpec p : sc.probes) {
            int proto = switch (p.proto) { case "tcp" -> roundtrip.model.Packet.TCP; case "udp" -> roundtrip.model.Packet.UDP; default -> roundtrip.model.Packet.ICMP; };
            ProbeResult res = sim.run(new roundtrip.model.Probe(p.id, p.from, null, Ip.parse(p.to), proto, p.dport == null ? 0 : p.dport, null, null));
            if (!res.verdict().name().equals(p.expect)) wrong.add(p.id + ": " + res.verdict() + " " + res.request().lostAt() + " " + res.phases().stream().flatMap(ph -> ph.steps().stream()).map(st -> st.host() + " " + roundtrip.report.StepText.of(st)).toList());
        }
        assertThat(wrong).isEmpty();
        Host laptop = r.network().hosts().get("laptop");
        assertThat(config(laptop).fwmark()).isEqualTo(51820);
        assertThat(laptop.problems()).extracting((p -> p.message().english())).allMatch(m -> m.contains("not simulated"));
    }

    /**
     * A snapshot collected by the lab from f-wg-quick-full-tunnel (the real wg-quick up), with laptop/wg/wg0.conf
     * replaced by the wg-quick file itself, as a user who copies /etc/wireguard/wg0.conf gives it: nothing is applied
     * twice, and the fwmark wg-quick set (not in the file) is read from the collected rules.
     */
    @Test
    void snapshotWithTheWgQuickFileIsNotAppliedTwiceAndKnowsTheFwmark() {
        roundtrip.model.Network net = SnapshotLoader.load(Path.of("src/test/resources/snapshots/wg-quick-full-tunnel"));
        Host laptop = net.hosts().get("laptop");
        assertThat(config(laptop).fwmark()).isEqualTo(51820);
        assertThat(routes(laptop).stream().filter(r -> r.startsWith("default dev wg0 table 51820 scope link"))).hasSize(1);
        assertThat(rules(laptop).stream().filter(r -> r.contains("not from all fwmark 0xca6c lookup 51820"))).hasSize(2);   // IPv4 and IPv6
        assertThat(laptop.iface("wg0").addresses()).hasSize(3);   // 10.66.0.2/24, fd42:42:42::2/64 and the kernel's link-local
        Simulator sim = new Simulator(net);
        // the verdicts the real kernel gave in the lab run that collected the snapshot
        Map<String, String> kernel = Map.of("laptop-http-web-through-tunnel", "ROUND_TRIP_OK", "laptop-ping-vpn-tunnel-address", "ROUND_TRIP_OK",
                "laptop-http-isp-lan-address", "ROUND_TRIP_OK", "isp-ping-laptop-tunnel-address", "REPLY_LOST");
        roundtrip.lab.Scenario sc = roundtrip.lab.Scenario.load(Path.of("src/test/resources/scenarios/f-wg-quick-full-tunnel.yaml"));
        for (roundtrip.lab.Scenario.ProbeSpec p : sc.probes) {
            int proto = switch (p.proto) { case "tcp" -> roundtrip.model.Packet.TCP; case "udp" -> roundtrip.model.Packet.UDP; default -> roundtrip.model.Packet.ICMP; };
            ProbeResult res = sim.run(new roundtrip.model.Probe(p.id, p.from, null, Ip.parse(p.to), proto, p.dport == null ? 0 : p.dport, null, null));
            assertThat(res.verdict().name()).as(p.id).isEqualTo(kernel.get(p.id));
        }
    }

    /** Every warning a wg-quick file can give has its Chinese (--lang zh). */
    @Test
    void warningsHaveTheirChinese() {
        Host h = host("""
                interfaces: {eth0: 203.0.113.5/24}
                wireguard:
                  wg0: |
                    [Interface]
                    PrivateKey = %s
                    Address = 10.66.0.1/24
                    DNS = 1.1.1.1
                    PostUp = resolvconf -u; ip link set %%i up; sysctl -p; sysctl kernel.x=1; nft -f /etc/x.nft
                    PostUp = iptables -F; iptables -D FORWARD -j ACCEPT
                    [Peer]
                    PublicKey = %s
                    Endpoint = vpn.example.net:51820
                    AllowedIPs = 10.66.0.2/32
                """.formatted(KEY_A, PUB_B));
        List<roundtrip.model.Message> messages = h.problems().stream().map(Problem::message).toList();
        assertThat(messages).hasSize(9);
        for (roundtrip.model.Message m : messages)
            assertThat(roundtrip.report.Zh.text(m)).as(m.english()).isNotEqualTo(m.english()).matches("(?s).*[\\u4e00-\\u9fff].*");
    }
}
