package roundtrip.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.sim.ProbeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.fix.StoryFixture.commands;
import static roundtrip.fix.StoryFixture.hosts;

/**
 * The VPN stories, on snapshots the lab built from the broken scenarios with real WireGuard and OpenVPN daemons:
 * the daemon's drop names the cause, and the top fix (a daemon configuration change the Editor applies to the
 * model) must make the probe pass when simulated again without breaking another probe.
 */
class WhyVpnStoriesTest {

    private static Finding top(Why.Result w, Cause cause, String host) {
        assertThat(w.findings()).isNotEmpty();
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(cause);
        assertThat(top.host()).isEqualTo(host);
        return top;
    }

    private static RankedFix topFix(Why.Result w) {
        assertThat(w.fixes()).isNotEmpty();
        RankedFix top = w.fixes().get(0);
        assertThat(top.rank()).isEqualTo(1);
        assertClean(top);
        return top;
    }

    private static void assertClean(RankedFix f) {
        assertThat(f.verification().error()).isNull();
        assertThat(f.verification().fixesProbe()).isTrue();
        assertThat(f.verification().regressions()).isEmpty();
        assertThat(f.verification().checks()).isNotEmpty();
    }

    @Test void s12RoadWarriorPoolIsNotInTheSiteLinkAllowedIps() {
        StoryFixture s = new StoryFixture("s12-wg-roadwarrior-broken");
        for (String id : new String[] {"phone-ssh-nas2", "phone-ping-nas2"}) {
            Why.Result w = s.explain(id);
            assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
            Finding f = top(w, Cause.WIREGUARD_SOURCE_NOT_ALLOWED, "op2");
            assertThat(f.evidence().text()).isEqualTo("AllowedIPs = 10.0.32.1/32, 192.168.35.0/24");
            assertThat(f.evidence().where()).isEqualTo("snapshot/op2/wg/wg_s2s.conf:7");
            RankedFix top = topFix(w);
            assertThat(top.fix().id()).isEqualTo("wireguard-allowed-ips");
            assertThat(top.fix().keepsSource()).isTrue();
            assertThat(hosts(top)).containsExactly("op2");
            assertThat(commands(top)).containsExactly(
                    "wg set wg_s2s peer tUzzmcEgrGSPh4Ed5OL4mwO3NzNe67NxYlFiupUtekw= allowed-ips 10.0.32.1/32,192.168.35.0/24,10.0.31.0/24",
                    "ip route add 10.0.31.0/24 dev wg_s2s");
            assertThat(top.fix().changes().get(0).persistence(Dialect.LINUX).english()).startsWith(
                    "/etc/wireguard/wg_s2s.conf: `AllowedIPs = 10.0.32.1/32, 192.168.35.0/24, 10.0.31.0/24` in the [Peer] with PublicKey = tUzzmcEg");
            assertThat(top.fix().changes().get(0).persistence(Dialect.OPENWRT).english()).startsWith(
                    "uci add_list network.@wireguard_wg_s2s[0].allowed_ips='10.0.31.0/24'; uci commit network");
            // the story's other fix: masquerade on the sending site's tunnel egress (NAT, so second)
            RankedFix nat = w.fixes().get(1);
            assertClean(nat);
            assertThat(nat.fix().id()).isEqualTo("masquerade-into-tunnel");
            assertThat(hosts(nat)).containsExactly("op1");
            assertThat(commands(nat)).containsExactly("iptables -t nat -A POSTROUTING -s 10.0.31.0/24 -o wg_s2s -j MASQUERADE");
            assertThat(nat.fix().keepsSource()).isFalse();
        }
    }

    /** S3: each LAN's gateway needs a route to the other LAN via its VPN box; both directions fail on the server side. */
    @Test void s3ServerLanGatewayKnowsNoRouteToTheClientLan() {
        StoryFixture s = new StoryFixture("s03-ovpn-site-to-site-broken");
        Why.Result back = s.explain("pc-ssh-srvhost");
        assertThat(back.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        top(back, Cause.MISSING_RETURN_ROUTE, "gw");
        assertThat(commands(topFix(back))).containsExactly("ip route add 192.168.4.0/24 via 10.198.0.10 dev eth0");

        Why.Result out = s.explain("srvhost-ssh-pc");
        assertThat(out.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        top(out, Cause.NO_ROUTE, "gw");
        RankedFix fix = topFix(out);
        assertThat(fix.fix().id()).isEqualTo("route-via-neighbour");
        assertThat(commands(fix)).containsExactly("ip route add 192.168.4.0/24 via 10.198.0.10 dev eth0");
    }

    @Test void s7ClientNetworkWithoutIroute() {
        StoryFixture s = new StoryFixture("s07-ovpn-ccd-missing");
        for (String id : new String[] {"pc-ssh-srvhost", "pc-ping-vpnsrv"}) {
            Why.Result w = s.explain(id);
            assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
            Finding f = top(w, Cause.OPENVPN_MISSING_IROUTE, "vpnsrv");
            // the iroute is there, in a CCD file named after a common name no client has
            assertThat(f.summary().english()).contains("client vpncli sends from 192.168.4.20").contains("the file vpn-client has it");
            RankedFix top = topFix(w);
            assertThat(top.fix().id()).isEqualTo("openvpn-ccd-iroute");
            assertThat(hosts(top)).containsExactly("vpnsrv", "vpncli");
            // the server already has `route 192.168.4.0 255.255.255.0` and its kernel route: only the CCD line is missing;
            // the server reads it when vpncli connects, so vpncli reconnects (SIGUSR1, by the pid file its config writes)
            assertThat(commands(top)).containsExactly("echo 'iroute 192.168.4.0 255.255.255.0' >> ccd/vpncli", "kill -USR1 $(cat client.pid)");
            Change ccd = top.fix().changes().get(0), signal = top.fix().changes().get(1);
            assertThat(ccd.shell()).isTrue();
            assertThat(ccd.openVpnConfig()).isEqualTo("server.conf");
            assertThat(ccd.writes()).isEqualTo("ccd/vpncli");
            assertThat(ccd.persistence(Dialect.LINUX).english())
                    .contains("takes effect at its next connection").contains("route 192.168.4.0 255.255.255.0");
            assertThat(signal.host()).isEqualTo("vpncli");
            assertThat(signal.openVpnConfig()).isEqualTo("client.conf");
            assertThat(signal.restartsOpenVpn()).isTrue();
            assertThat(signal.persistence(Dialect.LINUX).english()).contains("systemctl kill -s USR1 openvpn-client@client");
            // the fix also mends the other direction (a reply to the client's LAN needs the same iroute)
            assertThat(top.verification().checks()).anyMatch(c -> c.probe().equals("srvhost-ssh-pc") && !c.before() && c.after());
        }
        // the other direction: the daemon has no client for the client's LAN; the client behind which it lies is named
        Why.Result back = s.explain("srvhost-ssh-pc");
        Finding f = top(back, Cause.OPENVPN_MISSING_IROUTE, "vpnsrv");
        assertThat(f.summary().english()).contains("lies behind client vpncli");
        RankedFix top = topFix(back);
        assertThat(commands(top)).containsExactly("echo 'iroute 192.168.4.0 255.255.255.0' >> ccd/vpncli", "kill -USR1 $(cat client.pid)");
    }

    @Test void s8TunnelRoutedIntoItself() {
        StoryFixture s = new StoryFixture("s08-ovpn-redirect-gateway-broken");
        for (String id : new String[] {"laptop-ssh-srvhost", "laptop-http-web", "laptop-ping-vpnsrv-tunnel"}) {
            Why.Result w = s.explain(id);
            assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
            Finding f = top(w, Cause.TUNNEL_ROUTED_INTO_ITSELF, "laptop");
            assertThat(f.evidence().text()).isEqualTo("default via 10.8.0.1 dev tun0");
            assertThat(f.evidence().where()).isEqualTo("snapshot/laptop/ip-route.json:1");
            RankedFix top = topFix(w);
            assertThat(top.fix().id()).isEqualTo("host-route-to-tunnel-server");
            assertThat(hosts(top)).containsExactly("laptop");
            // the old default route had no gateway (ppp): the host route is on-link
            assertThat(commands(top)).containsExactly("ip route add 198.51.100.10 dev ppp0");
            // the OpenVPN fix: def1 instead of local in the client's own line (client.conf:7), re-read on SIGHUP; OpenVPN
            // then puts back `default dev ppp0` and adds the host route itself. Two changes, so second.
            RankedFix def1 = w(w, 1);
            assertThat(def1.fix().id()).isEqualTo("openvpn-redirect-gateway-def1");
            assertThat(hosts(def1)).containsExactly("laptop");
            assertThat(commands(def1)).containsExactly(
                    "sed -i 's/^[[:space:]]*redirect-gateway local[[:space:]]*$/redirect-gateway def1/' client.conf",
                    "kill -HUP $(cat client.pid)");
            assertThat(def1.fix().changes().get(0).persistence(Dialect.LINUX).english()).contains("snapshot/laptop/openvpn/client.conf:7 was `redirect-gateway local`");
            assertThat(def1.verification().checks()).allMatch(c -> c.after());
        }
    }

    /** S8 with the redirect pushed by the server: the def1 fix edits the server's push line and both daemons restart. */
    @Test void s8PushedRedirectIsFixedWhereItIsWritten() {
        StoryFixture s = new StoryFixture("s08-ovpn-redirect-gateway-pushed");
        Why.Result w = s.explain("laptop-ssh-srvhost");
        top(w, Cause.TUNNEL_ROUTED_INTO_ITSELF, "laptop");
        assertThat(commands(topFix(w))).containsExactly("ip route add 198.51.100.10 dev ppp0");
        RankedFix def1 = w(w, 1);
        assertThat(def1.fix().id()).isEqualTo("openvpn-redirect-gateway-def1");
        assertThat(hosts(def1)).containsExactly("vpnsrv", "laptop");
        assertThat(commands(def1)).containsExactly(
                "sed -i 's/^[[:space:]]*push \"redirect-gateway local\"[[:space:]]*$/push \"redirect-gateway def1\"/' server.conf",
                "kill -HUP $(cat server.pid)", "kill -USR1 $(cat client.pid)");
        assertThat(def1.fix().changes().get(0).persistence(Dialect.LINUX).english()).contains("snapshot/vpnsrv/openvpn/server.conf:7");
        // the model after the fix: laptop's old default back, the host route to the server, the two halves into the tunnel
        var fixed = new Editor().apply(s.net, def1.fix().changes()).host("laptop").routes().stream()
                .filter(r -> r.table() == roundtrip.model.Route.TABLE_MAIN).map(roundtrip.model.Route::text).toList();
        assertThat(fixed).contains("default dev ppp0", "198.51.100.10 dev ppp0", "0.0.0.0/1 via 10.8.0.1 dev tun0",
                "128.0.0.0/1 via 10.8.0.1 dev tun0", "10.198.0.0/24 via 10.8.0.1 dev tun0").doesNotContain("default via 10.8.0.1 dev tun0");
    }

    /** The same pushed from the client's CCD file: the fix edits that file, and the client reconnects (no server restart). */
    @Test void s8RedirectPushedFromTheCcdFile(@TempDir Path tmp) throws Exception {
        Path from = Path.of("src/test/resources/why/s08-ovpn-redirect-gateway-pushed");
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = tmp.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        Path ovpn = tmp.resolve("snapshot/vpnsrv/openvpn");
        Files.writeString(ovpn.resolve("server.conf"), Files.readString(ovpn.resolve("server.conf"))
                .replace("push \"redirect-gateway local\"\n", "client-config-dir ccd\n"));
        Files.createDirectories(ovpn.resolve("ccd"));
        Files.writeString(ovpn.resolve("ccd/laptop"), "push \"redirect-gateway local\"\n");
        Network net = SnapshotLoader.load(tmp.resolve("snapshot"));
        List<Probe> probes = ProbeReader.readLocated(tmp.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        Why.Result w = new Why(net).explain(probes.get(0), probes);
        top(w, Cause.TUNNEL_ROUTED_INTO_ITSELF, "laptop");
        RankedFix def1 = w(w, 1);
        assertThat(def1.fix().id()).isEqualTo("openvpn-redirect-gateway-def1");
        assertThat(commands(def1)).containsExactly(
                "sed -i 's/^[[:space:]]*push \"redirect-gateway local\"[[:space:]]*$/push \"redirect-gateway def1\"/' ccd/laptop",
                "kill -USR1 $(cat client.pid)");
        assertThat(def1.fix().changes().get(0).writes()).isEqualTo("ccd/laptop");
    }

    @Test void s10AllowedIpsWithoutTheirRoute() {
        StoryFixture s = new StoryFixture("s10-wg-site-to-site-broken");
        for (String id : new String[] {"pc1-ssh-nas2", "pc1-dns-nas2", "nas2-ssh-pc1"}) {
            Why.Result w = s.explain(id);
            Finding f = top(w, Cause.WIREGUARD_ALLOWED_IPS_NOT_ROUTED, "op2");
            assertThat(f.evidence().text()).isEqualTo("AllowedIPs = 10.0.32.1/32, 192.168.35.0/24");
            RankedFix top = topFix(w);
            assertThat(top.fix().id()).isEqualTo("route-allowed-ips");
            assertThat(hosts(top)).containsExactly("op2");
            assertThat(commands(top)).containsExactly("ip route add 192.168.35.0/24 dev wg_s2s");
        }
    }

    @Test void allowedIpsFilterBothWays() {
        StoryFixture s = new StoryFixture("f-wg-allowedips");
        // receipt: b forwards its LAN into the tunnel, a's peer b does not allow that source
        Why.Result in = s.explain("lanhost-ssh-a-unallowed-src");
        Finding f = top(in, Cause.WIREGUARD_SOURCE_NOT_ALLOWED, "a");
        assertThat(f.evidence().text()).isEqualTo("AllowedIPs = 10.9.0.2/32");
        RankedFix top = topFix(in);
        assertThat(commands(top)).hasSize(1);
        assertThat(commands(top).get(0)).matches("wg set wg0 peer \\S+= allowed-ips 10\\.9\\.0\\.2/32,192\\.168\\.9\\.0/24");
        assertThat(w(in, 1).fix().id()).isEqualTo("masquerade-into-tunnel");
        assertThat(commands(w(in, 1))).containsExactly("iptables -t nat -A POSTROUTING -s 192.168.9.0/24 -o wg0 -j MASQUERADE");
        assertThat(hosts(w(in, 1))).containsExactly("b");
        // sending: a routes the LAN into wg0, but no peer has it
        Why.Result out = s.explain("a-ssh-lanhost-no-peer");
        top(out, Cause.WIREGUARD_NO_PEER, "a");
        RankedFix send = topFix(out);
        assertThat(send.fix().id()).isEqualTo("wireguard-allowed-ips");
        assertThat(commands(send).get(0)).endsWith(" allowed-ips 10.9.0.2/32,192.168.9.0/24");
    }

    private static RankedFix w(Why.Result r, int i) {
        assertClean(r.fixes().get(i));
        return r.fixes().get(i);
    }

    @Test void s13TwoLevelForwardingAnswerNotRoutedBackIntoTheTunnel() {
        StoryFixture s = new StoryFixture("s13-wg-two-level-broken");
        for (String id : new String[] {"a-http-web", "a-ping-web"}) {
            Why.Result w = s.explain(id);
            assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
            // B forwards A's packets into wgC by its default route (the route inside the tunnel, not the one its
            // encrypted datagrams take to C) and keeps A's source: the story's cause, NAT missing at the middle hop
            Finding f = top(w, Cause.MISSING_SNAT, "b");
            assertThat(f.evidence().text()).isEqualTo("default dev wgC scope link");
            RankedFix top = topFix(w);
            assertClean(top);
            assertThat(hosts(top)).containsExactly("b");
            // the story's fix: masquerade on B's tunnel egress too
            assertThat(commands(top)).containsExactly("iptables -t nat -A POSTROUTING -o wgC -j MASQUERADE");
        }
    }

    @Test void s1VmAnswersByAnotherGateway() {
        StoryFixture s = new StoryFixture("s01-ovpn-vm-behind-router-broken");
        for (String id : new String[] {"pc-ping-vm", "pc-ssh-vm"}) {
            Why.Result w = s.explain(id);
            assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
            Finding f = top(w, Cause.MISSING_RETURN_ROUTE, "vm");
            assertThat(f.evidence().text()).isEqualTo("10.1.1.0/24 via 192.168.78.2 dev eth0");
            RankedFix top = topFix(w);
            assertThat(commands(top)).containsExactly("ip route replace 10.1.1.0/24 via 192.168.78.1 dev eth0");
            // the story's fix: source NAT on the router towards its LAN
            RankedFix nat = w.fixes().stream().filter(x -> x.fix().id().equals("masquerade-at-entry")).findFirst().orElseThrow();
            assertClean(nat);
            assertThat(hosts(nat)).containsExactly("router");
            assertThat(commands(nat)).containsExactly("iptables -t nat -A POSTROUTING -s 10.1.1.0/24 -o lan -j MASQUERADE");
        }
    }

    @Test void s6ClientToClientThroughTheServerKernel() {
        StoryFixture s = new StoryFixture("s06-ovpn-client-to-client-broken");
        Why.Result w = s.explain("laptop1-ssh-laptop2");
        top(w, Cause.FORWARD_DROP, "vpnsrv");
        // in and out by tun0: one accept covers the answers too; it goes before the policy that opens everything
        RankedFix narrow = topFix(w);
        assertClean(narrow);
        assertThat(commands(narrow)).containsExactly("iptables -I FORWARD -i tun0 -o tun0 -j ACCEPT");
        assertThat(commands(w.fixes().get(1))).containsExactly("iptables -P FORWARD ACCEPT");
    }

    @Test void s15AsymmetricAnswerDroppedAsInvalidByFw4() {
        StoryFixture s = new StoryFixture("s15-fw4-nat-leakage-broken");
        for (String id : new String[] {"ping-king", "ssh-king"}) {
            Why.Result w = s.explain(id);
            Finding f = top(w, Cause.CONNTRACK_INVALID_ASYMMETRIC, "op1");
            assertThat(f.evidence().text()).contains("ct state invalid").contains("Prevent NAT leakage");
            assertThat(w.findings().get(1).cause()).isEqualTo(Cause.ASYMMETRIC_REPLY);
            assertThat(w.findings().get(1).host()).isEqualTo("king");
            // the symmetric path on king is verified for every protocol
            RankedFix symmetric = w.fixes().stream().filter(x -> x.fix().id().equals("per-source-table")).findFirst().orElseThrow();
            assertClean(symmetric);
            assertThat(hosts(symmetric)).containsExactly("king");
            assertThat(commands(symmetric)).containsExactly("ip route add 203.0.113.0/24 dev eth0 table 100",
                    "ip route add default via 203.0.113.10 dev eth0 table 100", "ip rule add from 203.0.113.20 lookup 100");
            // fw4's own switch is simulated too: the snapshot's fw4 ruleset loses exactly its NAT-leakage drop
            RankedFix uci = w.fixes().stream().filter(x -> x.fix().id().equals("fw4-masq-allow-invalid")).findFirst().orElseThrow();
            assertThat(uci.verification().error()).isNull();
            assertThat(uci.verification().regressions()).isEmpty();
            assertThat(hosts(uci)).containsExactly("op1");
            Change c = uci.fix().changes().get(0);
            // the snapshot names the zone (chain accept_to_wan) but not its place in /etc/config/firewall: N, and how to find it
            assertThat(commands(uci)).containsExactly("uci set firewall.@zone[N].masq_allow_invalid='1'; uci commit firewall; fw4 reload");
            assertThat(c.shell()).isFalse();
            assertThat(c.notes().stream().map(roundtrip.model.Message::english).toList()).containsExactly(
                    "N is the index of zone 'wan' among the zone sections of /etc/config/firewall, which roundtrip was not given"
                            + " (fw4's ruleset names the zone, not its place): `uci show firewall | grep \"name='wan'\"` prints it as"
                            + " firewall.@zone[N].name='wan'",
                    "the same on the running ruleset, lost at the next fw4 reload or reboot: nft delete rule inet fw4 accept_to_wan handle 79");
            assertThat(c.equivalent()).containsExactly("nft delete rule inet fw4 accept_to_wan handle 79");
            assertThat(c.persistence(Dialect.OPENWRT).english()).startsWith("uci commit writes /etc/config/firewall (option masq_allow_invalid '1'"
                    + " in zone 'wan'), which survives a reboot");
            assertThat(Dialect.of(s.net.host("op1"))).isEqualTo(Dialect.OPENWRT);
            assertThat(uci.fix().tradeOff("en")).contains("un-NATed").contains("TCP");
            if (id.equals("ping-king")) {
                // an echo reply passes un-NATed: the one-change fix ranks first
                assertThat(topFix(w)).isSameAs(uci);
                assertThat(w.fixes().get(1)).isSameAs(symmetric);
            } else {
                // TCP: the SYN-ACK passes, but conntrack picks the answer's data up as new and wan masquerades it
                assertThat(uci.verification().fixesProbe()).isFalse();
                assertThat(topFix(w)).isSameAs(symmetric);
                assertThat(uci.rank()).isEqualTo(w.fixes().size());
            }
        }
    }
}
