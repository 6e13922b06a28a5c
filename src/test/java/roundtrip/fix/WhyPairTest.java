package roundtrip.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.WhyReport;
import roundtrip.sim.ProbeResult;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 4: when no single change makes the probe pass, two fixes needed together are searched (a first that
 * gets the probe further, a second found by diagnosing again), verified together, and ranked after any passing single
 * fix and before those that do not pass; the search is bounded.
 */
class WhyPairTest {

    private static StoryFixture.NetFile load(String yaml) {
        StoryFixture.NetFile c = StoryFixture.NetFile.read(yaml);
        assertThat(c.warnings()).as("problems").isEmpty();
        return c;
    }

    private static List<String> onHosts(Fix f) {
        return f.changes().stream().map(c -> c.host() + "# " + c.command()).toList();
    }

    /**
     * The router does not forward (ip_forward=0), and the server's default gateway is the ISP's router (not the
     * user's), so the answers have no way back either: two changes, on two hosts.
     */
    private static final String FORWARD_OFF_NO_WAY_BACK = """
            hosts:
              client:
                interfaces: {eth0: 10.1.0.2/24}
                routes: [default via 10.1.0.1]
              router:
                interfaces: {eth0: 10.1.0.1/24, eth1: 10.2.0.1/24}
                sysctl: {net.ipv4.ip_forward: 0}
              server:
                interfaces: {eth0: 10.2.0.10/24}
                routes: [default via 10.2.0.254]
                listen: [tcp/22]
              isp:
                managed: false
                interfaces: {lan: 10.2.0.254/24, wan: 203.0.113.2/24}
                routes: [default via 203.0.113.1]
                sysctl: {net.ipv4.ip_forward: 1}
            segments:
              inside: [client:eth0, router:eth0]
              outside: [router:eth1, server:eth0, isp:lan]
            probes:
              - {id: ssh-server, from: client, to: 10.2.0.10, proto: tcp, dport: 22}
            """;

    @Test void forwardingOffAndNoWayBackGetAPairThatPassesWithEachChangeOnItsHost() {
        StoryFixture.NetFile c = load(FORWARD_OFF_NO_WAY_BACK);
        Why why = new Why(c.net());
        Why.Result w = why.explain(c.probe("ssh-server"), c.probes());
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        // no single fix is enough
        assertThat(w.fixes()).filteredOn(f -> !f.fix().combined()).noneMatch(f -> Why.passes(f.verification()));
        RankedFix top = w.fixes().get(0);
        assertThat(top.fix().combined()).as(top.fix().id()).isTrue();
        assertThat(top.verification().clean()).isTrue();
        assertThat(top.fix().id()).isEqualTo("ip-forward-on+return-route-on-answering-host");
        assertThat(top.fix().keepsSource()).isTrue();
        // the first part answers the first failure, the second the one found with it applied
        // (the answers die on the ISP's router, which is not the user's: the way back is fixed on the server)
        assertThat(top.fix().parts()).extracting(Fix::id).containsExactly("ip-forward-on", "return-route-on-answering-host");
        assertThat(top.fix().parts().get(0).finding().host()).isEqualTo("router");
        assertThat(top.fix().parts().get(0).changes()).extracting(Change::host).containsExactly("router");
        assertThat(top.fix().parts().get(1).changes()).extracting(Change::host).containsExactly("server");
        assertThat(onHosts(top.fix())).containsExactly(
                "router# sysctl -w net.ipv4.ip_forward=1",
                "server# ip route add 10.1.0.0/24 via 10.2.0.1 dev eth0");
        // verified together: with both applied the probe passes; each alone it does not
        Probe probe = c.probe("ssh-server");
        for (Fix part : top.fix().parts())
            assertThat(why.verify(part, probe, List.of()).fixesProbe()).as(part.id() + " alone").isFalse();
        assertThat(why.verify(top.fix(), probe, List.of()).fixesProbe()).isTrue();
        // nothing on the ISP's router
        assertThat(w.fixes()).allMatch(f -> f.fix().changes().stream().noneMatch(ch -> ch.host().equals("isp")));
        assertThat(w.nonePasses()).isFalse();
        // the single fixes that do not pass come after every passing pair
        int lastPair = 0, firstFailing = Integer.MAX_VALUE;
        for (RankedFix f : w.fixes()) {
            if (f.fix().combined()) lastPair = Math.max(lastPair, f.rank());
            else firstFailing = Math.min(firstFailing, f.rank());
        }
        assertThat(lastPair).isLessThan(firstFailing);
    }

    @Test void thePairIsPrintedWithEachChangeUnderItsHostAndInTheJson() throws Exception {
        StoryFixture.NetFile c = load(FORWARD_OFF_NO_WAY_BACK);
        Why.Result w = new Why(c.net()).explain(c.probe("ssh-server"), c.probes());
        String text = WhyReport.text(w, c.net(), "en");
        assertThat(text).contains("1. ip-forward-on+return-route-on-answering-host (2 changes, keeps the client's address)")
                .contains("two fixes needed together: neither alone makes the probe pass")
                .contains("1) ip-forward-on: for ip-forward-off on router, changes on router")
                .contains("2) return-route-on-answering-host: for ").contains("changes on server")
                .contains("on router:\n       sysctl -w net.ipv4.ip_forward=1")
                .contains("on server:\n       ip route add 10.1.0.0/24 via 10.2.0.1 dev eth0")
                .contains("verified (both applied): the probe passes; no regression");
        String zh = WhyReport.text(w, c.net(), "zh");
        assertThat(zh).contains("两处修复缺一不可").contains("在 router 上：").contains("在 server 上：").doesNotContain("needed together")
                .contains("1) 开启 IP 转发（ip-forward-on）：针对 router 上的没有开启 IP 转发（ip-forward-off），改动在 router 上")
                .contains("验证（两者一起应用）：探测通过");
        JsonNode fix = new ObjectMapper().readTree(WhyReport.json(List.of(w), c.net(), "en")).get(0).get("fixes").get(0);
        assertThat(fix.get("id").asText()).isEqualTo("ip-forward-on+return-route-on-answering-host");
        assertThat(fix.get("rank").asInt()).isEqualTo(1);
        assertThat(fix.get("changes").get("router").get(0).get("command").asText()).isEqualTo("sysctl -w net.ipv4.ip_forward=1");
        assertThat(fix.get("changes").get("server").get(0).get("command").asText()).startsWith("ip route add 10.1.0.0/24 via 10.2.0.1");
        assertThat(fix.get("parts")).hasSize(2);
        assertThat(fix.get("parts").get(0).get("id").asText()).isEqualTo("ip-forward-on");
        assertThat(fix.get("parts").get(1).get("changes").get(0).get("host").asText()).isEqualTo("server");
        assertThat(fix.get("verification").get("probePasses").asBoolean()).isTrue();
    }

    @Test void aSingleFixThatPassesComesFirstAndNoPairIsSearched() {
        // the same network, but the server's gateway is the router: turning forwarding on is enough
        StoryFixture.NetFile c = load(FORWARD_OFF_NO_WAY_BACK.replace("routes: [default via 10.2.0.254]", "routes: [default via 10.2.0.1]"));
        Why why = new Why(c.net());
        Why.Result w = why.explain(c.probe("ssh-server"), c.probes());
        RankedFix top = w.fixes().get(0);
        assertThat(top.fix().combined()).isFalse();
        assertThat(top.fix().id()).isEqualTo("ip-forward-on");
        assertThat(top.verification().clean()).isTrue();
        assertThat(w.fixes()).noneMatch(f -> f.fix().combined());
        assertThat(why.pairsTried()).isZero();
    }

    /**
     * A chain of four routers, each with forwarding off and a FORWARD DROP policy, and no way back: far more than two
     * changes are needed, and the candidates for each step are many. The pair search gives up after its bound.
     */
    @Test void theSearchIsBoundedWhenNoPairIsEnough() {
        StringBuilder y = new StringBuilder("hosts:\n");
        y.append("  client:\n    interfaces: {eth0: 10.0.0.2/24}\n    routes: [default via 10.0.0.1]\n");
        int n = 4;
        for (int i = 0; i < n; i++) {
            y.append("  r").append(i).append(":\n    interfaces: {eth0: 10.").append(i).append(".0.1/24, eth1: 10.").append(i + 1).append(".0.2/24}\n");
            y.append("    routes: [").append(i + 1 < n ? "default via 10." + (i + 1) + ".0.1" : "10.99.0.0/24 via 10." + n + ".0.1").append("]\n");
            y.append("    sysctl: {net.ipv4.ip_forward: 0}\n");
            y.append("    iptables: |\n      *filter\n      :FORWARD DROP [0:0]\n      -A FORWARD -s 10.50.0.0/24 -j ACCEPT\n      COMMIT\n");
        }
        y.append("  server:\n    interfaces: {eth0: 10.").append(n).append(".0.1/24}\n    listen: [tcp/22]\n");
        y.append("segments:\n");
        y.append("  s0: [client:eth0, r0:eth0]\n");
        for (int i = 0; i < n; i++)
            y.append("  s").append(i + 1).append(": [r").append(i).append(":eth1, ").append(i + 1 < n ? "r" + (i + 1) : "server").append(":eth0]\n");
        y.append("probes:\n  - {id: far, from: client, to: 10.").append(n).append(".0.1, proto: tcp, dport: 22}\n");
        StoryFixture.NetFile c = load(y.toString());
        Why why = new Why(c.net());
        long start = System.nanoTime();
        Why.Result w = why.explain(c.probe("far"), c.probes());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(w.fixes()).isNotEmpty();
        assertThat(why.pairsTried()).isPositive().isLessThanOrEqualTo(Why.MAX_PAIRS);
        assertThat(w.fixes()).noneMatch(f -> f.fix().combined());
        assertThat(w.nonePasses()).isTrue();
        // linear in the candidates: a generous bound for a shared machine, far from the square of the candidates
        assertThat(millis).as("milliseconds").isLessThan(30_000);
    }

    /** The same two mistakes collected from the real kernel (LabMain on scenarios/f-forward-off-and-no-way-back). */
    @Test void aSnapshotFromTheRealKernelGetsThePairFirst() {
        StoryFixture f = new StoryFixture("f-forward-off-and-no-way-back");
        Why.Result w = f.explain("ssh-server");
        RankedFix top = w.fixes().get(0);
        assertThat(top.fix().id()).isEqualTo("ip-forward-on+return-route");
        assertThat(top.verification().clean()).isTrue();
        // every host of a snapshot is the user's: the way back goes on the server's gateway, for the whole segment
        assertThat(onHosts(top.fix())).containsExactly(
                "router# sysctl -w net.ipv4.ip_forward=1",
                "gw# ip route add 10.1.0.0/24 via 10.2.0.1 dev eth0");
        assertThat(top.verification().checks()).extracting(Verification.Check::probe).contains("ssh-router");
    }

    /** Two sites joined by WireGuard; each gateway's peer entry lists only the other's tunnel address. */
    private static final String WIREGUARD_BOTH_ENDS = """
            hosts:
              pc-a:
                interfaces: {eth0: 192.168.10.5/24}
                routes: [default via 192.168.10.1]
              gw-a:
                interfaces:
                  lan: 192.168.10.1/24
                  eth0: 203.0.113.1/24
                  wg0: {address: 10.9.0.1/24, kind: wireguard}
                routes: [192.168.20.0/24 dev wg0]
                sysctl: {net.ipv4.ip_forward: 1}
                wireguard:
                  wg0: |
                    [Interface]
                    PrivateKey = 6NtGC70jCXZkHI8z7Crz8bqjNLQgTlO30kTOqxlHBU8=
                    ListenPort = 51820

                    [Peer]
                    PublicKey = p+vZr964X2K/JF7vkUbr6M8pFovPrOPJaWCHtc5qSHs=
                    AllowedIPs = 10.9.0.2/32
                    Endpoint = 203.0.113.2:51820
              gw-b:
                interfaces:
                  lan: 192.168.20.1/24
                  eth0: 203.0.113.2/24
                  wg0: {address: 10.9.0.2/24, kind: wireguard}
                routes: [192.168.10.0/24 dev wg0]
                sysctl: {net.ipv4.ip_forward: 1}
                wireguard:
                  wg0: |
                    [Interface]
                    PrivateKey = 8MNC56yphwIiEa0GP+gIByrsSExtws4svlaXoHTot38=
                    ListenPort = 51820

                    [Peer]
                    PublicKey = 6Rqpd9GkNy55uXYMfLdJDOXeTnFr8j1OnR1KTNZUNyU=
                    AllowedIPs = 10.9.0.1/32
                    Endpoint = 203.0.113.1:51820
              pc-b:
                interfaces: {eth0: 192.168.20.5/24}
                routes: [default via 192.168.20.1]
                listen: [tcp/22]
            segments:
              lan-a: [pc-a:eth0, gw-a:lan]
              lan-b: [pc-b:eth0, gw-b:lan]
              wan: [gw-a:eth0, gw-b:eth0]
            probes:
              - {id: ssh-b, from: pc-a, to: 192.168.20.5, proto: tcp, dport: 22}
            """;

    @Test void allowedIpsMissingOnBothWireGuardEndsGetOneChangeOnEachEnd() {
        StoryFixture.NetFile c = load(WIREGUARD_BOTH_ENDS);
        Why.Result w = new Why(c.net()).explain(c.probe("ssh-b"), c.probes());
        assertThat(w.fixes()).filteredOn(f -> !f.fix().combined()).noneMatch(f -> Why.passes(f.verification()));
        RankedFix top = w.fixes().get(0);
        assertThat(top.fix().id()).isEqualTo("wireguard-allowed-ips+wireguard-allowed-ips");
        assertThat(top.verification().clean()).isTrue();
        assertThat(top.fix().keepsSource()).isTrue();
        assertThat(onHosts(top.fix())).containsExactly(
                "gw-a# wg set wg0 peer p+vZr964X2K/JF7vkUbr6M8pFovPrOPJaWCHtc5qSHs= allowed-ips 10.9.0.2/32,192.168.20.0/24",
                "gw-b# wg set wg0 peer 6Rqpd9GkNy55uXYMfLdJDOXeTnFr8j1OnR1KTNZUNyU= allowed-ips 10.9.0.1/32,192.168.10.0/24");
        // the NAT alternative (no change on gw-b) is offered too, after the pair that keeps addresses
        assertThat(w.fixes()).anyMatch(f -> f.fix().id().equals("wireguard-allowed-ips+masquerade-into-tunnel") && f.rank() > 1);
    }

    /** A kill switch's OUTPUT DROP on the sender, collected from the real kernel (scenarios/f-kill-switch-lan). */
    @Test void aKillSwitchGetsTheOutputAcceptForTheNetworkItsRouteLeadsTo() {
        StoryFixture f = new StoryFixture("f-kill-switch-lan");
        Why.Result w = f.explain("client-plex");
        RankedFix top = w.fixes().get(0);
        assertThat(top.fix().id()).isEqualTo("output-accept-to-network");
        assertThat(top.verification().clean()).isTrue();
        assertThat(onHosts(top.fix())).containsExactly("client# iptables -I OUTPUT -d 192.168.1.0/24 -o eth0 -j ACCEPT");
    }

    /**
     * A pair says neither fix alone is enough. The router drops ssh by a rule and everything else by its FORWARD policy:
     * deleting the rule gets the packet to the policy, where an accept inserted first is found, and that accept alone
     * would have been enough (it comes before the rule too). Searched from the deletion, it is offered alone.
     */
    @Test void aSecondFixThatIsEnoughAloneIsOfferedAloneNotAsAPair() {
        StoryFixture.NetFile c = load("""
                hosts:
                  client:
                    interfaces: {eth0: 10.1.0.2/24}
                    routes: [default via 10.1.0.1]
                  router:
                    interfaces: {eth0: 10.1.0.1/24, eth1: 10.2.0.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                    iptables: |
                      *filter
                      :FORWARD DROP [0:0]
                      -A FORWARD -p tcp -m tcp --dport 22 -j DROP
                      COMMIT
                  server:
                    interfaces: {eth0: 10.2.0.10/24}
                    routes: [default via 10.2.0.1]
                    listen: [tcp/22]
                segments:
                  inside: [client:eth0, router:eth0]
                  outside: [router:eth1, server:eth0]
                probes:
                  - {id: ssh-server, from: client, to: 10.2.0.10, proto: tcp, dport: 22}
                """);
        Why why = new Why(c.net());
        Probe probe = c.probe("ssh-server");
        Why.Result w = why.explain(probe, c.probes());
        RankedFix delete = w.fixes().stream().filter(f -> f.fix().id().equals("delete-rule")).findFirst().orElseThrow();
        assertThat(Why.passes(delete.verification())).as("deleting the rule alone").isFalse();
        List<RankedFix> found = why.pairs(probe, w.result(), List.of(delete), List.of());
        assertThat(found).anyMatch(f -> !f.fix().combined() && f.fix().id().equals("forward-accept-rules"));
        assertThat(found).allMatch(f -> Why.passes(f.verification()));
        // a pair that remains needs both: the policy set to ACCEPT still meets the rule
        for (RankedFix f : found)
            if (f.fix().combined()) {
                assertThat(f.fix().parts()).extracting(Fix::id).doesNotContain("forward-accept-rules");
                for (Fix part : f.fix().parts()) assertThat(Why.passes(why.verify(part, probe, List.of()))).as(part.id()).isFalse();
            }
    }
}
