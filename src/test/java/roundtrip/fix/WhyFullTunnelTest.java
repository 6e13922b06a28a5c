package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.model.Rule;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.Hook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.fix.StoryFixture.commands;
import static roundtrip.fix.StoryFixture.fix;
import static roundtrip.fix.StoryFixture.passes;

/**
 * Issue 12 item 5, WireGuard road warriors: a split-tunnel client gets the site-wide AllowedIPs change (the hub's
 * LAN) and wg-quick's full tunnel, each verified by simulating again; what only the hub reaches gets the full tunnel
 * alone (never a bare AllowedIPs 0.0.0.0/0 without wg-quick's policy routing, which would swallow the tunnel's own
 * datagrams). LabVerifyTest runs the same fixes on the real kernel.
 */
class WhyFullTunnelTest {
    private static final Path FILE = Path.of("src/test/resources/scenarios/networks/f-wg-split-tunnel-client.yaml");

    private static StoryFixture.NetFile load() throws Exception { return StoryFixture.NetFile.read(Files.readString(FILE)); }

    @Test void theHubsLanInAllowedIpsFirstAndTheFullTunnelAfterIt() throws Exception {
        Why.Result w = load().explain("laptop-nas");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.WIREGUARD_ALLOWED_IPS_LACK_PREFIX);
        assertThat(w.findings().get(0).host()).isEqualTo("laptop");
        assertThat(w.findings().get(0).summary().english()).contains("192.168.50.0/24 holds 192.168.50.10");
        assertThat(w.fixes().get(0).fix().id()).isEqualTo("wireguard-allowed-ips");
        assertThat(w.fixes().get(1).fix().id()).isEqualTo("wireguard-full-tunnel");
        passes(w.fixes().get(0));
        passes(w.fixes().get(1));
        assertThat(commands(w.fixes().get(0))).anyMatch(c -> c.contains("allowed-ips 10.66.0.0/24,192.168.50.0/24"));
        // never on a host the user cannot change
        assertThat(w.fixes()).allMatch(f -> f.fix().changes().stream().allMatch(c -> c.host().equals("laptop") || c.host().equals("vpn")));
    }

    @Test void whatOnlyTheHubReachesGetsTheFullTunnelAlone() throws Exception {
        Why.Result w = load().explain("laptop-web");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.WIREGUARD_ALLOWED_IPS_LACK_PREFIX);
        assertThat(w.findings().get(0).summary().english()).contains("reaches 192.0.2.80 by its default route");
        RankedFix full = w.fixes().get(0);
        assertThat(full.fix().id()).isEqualTo("wireguard-full-tunnel");
        passes(full);
        Change.WgQuickFullTunnel c = (Change.WgQuickFullTunnel) full.fix().changes().get(0);
        assertThat(c.command()).isEqualTo("sed -i 's/^AllowedIPs *=.*/AllowedIPs = 10.66.0.0\\/24, 0.0.0.0\\/0/' /etc/wireguard/wg0.conf"
                + " && wg-quick down wg0 && wg-quick up wg0");
        assertThat(c.equivalent()).contains("wg set wg0 fwmark 51820", "ip rule add not fwmark 0xca6c lookup 51820",
                "ip rule add lookup main suppress_prefixlength 0", "ip route add default dev wg0 table 51820",
                "sysctl -w net.ipv4.conf.all.src_valid_mark=1");
        assertThat(w.fixes()).noneMatch(f -> f.fix().changes().stream().anyMatch(x -> x instanceof Change.WireGuardAllowedIps a && a.add().len() == 0));
    }

    /** What wg-quick's add_default leaves, as the Editor applies it: the kernel's priorities, the fwmark, the nft table. */
    @Test void theFullTunnelIsAppliedAsWgQuickLeavesIt() throws Exception {
        StoryFixture.NetFile f = load();
        Change.WgQuickFullTunnel full = (Change.WgQuickFullTunnel) fix(f.explain("laptop-web"), "wireguard-full-tunnel").fix().changes().get(0);
        Network after = new Editor().apply(f.net(), List.of(full));
        Host laptop = after.host("laptop");
        WireGuardConfig wg = (WireGuardConfig) laptop.tunnels().get(0);
        assertThat(wg.fwmark()).isEqualTo(51820);
        assertThat(wg.peers().get(0).allowedIps()).extracting(Object::toString).contains("0.0.0.0/0", "10.66.0.0/24");
        // fib_default_rule_pref: each new rule one below the first after 0, so the later suppress rule comes first
        List<Rule> v4 = laptop.rules().stream().filter(r -> r.priority() > 0 && r.priority() < 32766)
                .sorted(java.util.Comparator.comparingInt(Rule::priority)).toList();
        assertThat(v4).extracting(Rule::priority).containsExactly(32764, 32765);
        assertThat(v4.get(0).suppressPrefixLength()).isZero();
        assertThat(v4.get(0).table()).isEqualTo(roundtrip.model.Route.TABLE_MAIN);
        assertThat(v4.get(1).not()).isTrue();
        assertThat(v4.get(1).table()).isEqualTo(51820);
        assertThat(laptop.routes()).anyMatch(r -> r.table() == 51820 && r.dst().len() == 0 && "wg0".equals(r.dev()));
        assertThat(laptop.sysctls().srcValidMark("wlan0")).isTrue();
        assertThat(laptop.firewall().chains(Hook.PREROUTING)).extracting(roundtrip.netfilter.BaseChain::priority).contains(-300, -150);
    }

    @Test void saidInChineseToo() throws Exception {
        Why.Result w = load().explain("laptop-web");
        assertThat(roundtrip.report.Zh.text(w.findings().get(0).summary())).contains("只让这些网段走隧道");
        Change full = w.fixes().get(0).fix().changes().get(0);
        assertThat(roundtrip.report.Zh.text(full.persistence(Dialect.LINUX))).contains("每次启动时会重新设置其余部分");
    }

    /** A hub (several peers) is never made a full tunnel: a /0 there would take every peer's traffic. */
    @Test void aHostWithSeveralPeersGetsNoFullTunnel() throws Exception {
        String yaml = Files.readString(FILE).replace("        PersistentKeepalive = 25\n",
                "        PersistentKeepalive = 25\n\n        [Peer]\n        PublicKey = EOx+pxJVNR6u/apCAPqme/VdP2UD6SvOGSIrSpOmk3s=\n        AllowedIPs = 10.77.0.0/24\n");
        Why.Result w = StoryFixture.NetFile.read(yaml).explain("laptop-nas");
        assertThat(w.fixes()).extracting(x -> x.fix().id()).contains("wireguard-allowed-ips").doesNotContain("wireguard-full-tunnel");
    }
}
