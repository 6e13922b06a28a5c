package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small hand-written snapshot (pc, gw) in the real formats: a wg-quick style gateway with files the loader
 * does not handle yet: an empty nft.json, a WireGuard config with redacted keys, an OpenVPN config without its tun
 * device, and a pc with only the required files.
 */
class OfficeSnapshotTest {
    static final Network NET = SnapshotLoader.load(Path.of("src/test/resources/snapshots/office"), "office");

    @Test
    void pcHasOnlyTheRequiredFiles() {
        Host pc = NET.host("pc");
        assertThat(pc.interfaces().keySet()).containsExactly("lo", "eth0");
        assertThat(pc.iface("eth0").kind()).isEqualTo("veth");
        assertThat(pc.iface("eth0").addresses(Ip.Family.IPV4)).hasSize(1);
        assertThat(pc.routes()).hasSize(5);
        assertThat(pc.routes().get(0).source().toString())
                .isEqualTo("office/pc/ip-route.json:1: default via 192.168.10.1 dev eth0 src 192.168.10.20 metric 100");
        assertThat(pc.routes().get(1).source().line()).isEqualTo(2);   // one object per line in this file
        assertThat(pc.rules()).extracting(Rule::table).containsExactly(Route.TABLE_LOCAL, Route.TABLE_MAIN, Route.TABLE_DEFAULT);
        assertThat(pc.listeners()).isNull();
        assertThat(pc.sysctls().ipForward()).isFalse();
        assertThat(pc.problems()).extracting(Problem::toString).containsExactly("office/pc: not collected: "
                + "ip-rule.json (the kernel's three default rules assumed), iptables-save.txt and nft.json (no firewall rules assumed), "
                + "sysctl.txt (the kernel's defaults assumed; a probe whose outcome depends on one is marked uncertain), "
                + "ss-listen.txt (every probed port taken as open)");
    }

    @Test
    void gatewayWithWgQuickRules() {
        Host gw = NET.host("gw");
        assertThat(gw.iface("wg0").kind()).isEqualTo("wireguard");
        assertThat(gw.iface("wg0").noArp()).isTrue();
        Rule suppress = gw.rules().get(1);
        assertThat(suppress.text()).isEqualTo("32764:\tfrom all lookup main suppress_prefixlength 0");
        Rule notMark = gw.rules().get(2);
        assertThat(notMark.not()).isTrue();
        assertThat(notMark.fwmark()).isEqualTo(0xca6cL);
        assertThat(notMark.table()).isEqualTo(51820);
        assertThat(notMark.source().toString()).isEqualTo("office/gw/ip-rule.json:3: 32765:\tnot from all fwmark 0xca6c lookup 51820");
        assertThat(gw.sysctls().rpFilter("wan0")).isEqualTo(2);
        assertThat(gw.listeners()).containsExactly(new Listener(Packet.UDP, null, 51820, roundtrip.model.Ip.Family.IPV4),
                new Listener(Packet.UDP, null, 51820, roundtrip.model.Ip.Family.IPV6), new Listener(Packet.TCP, null, 22, roundtrip.model.Ip.Family.IPV4));
        assertThat(gw.ownsAddress(Ip.parse("10.66.0.1"))).isTrue();
    }

    @Test
    void filesNotLoadedAndRedactedKeysAreReported() {
        List<String> problems = NET.host("gw").problems().stream().map(Problem::toString).toList();
        assertThat(problems).containsExactlyInAnyOrder(
                "office/gw/ip-route.json: no route of table local (not the output of `ip -j -d route show table all`?): "
                        + "the kernel's local and broadcast routes were derived from the addresses in ip-addr.json",
                "office/gw/wg/wg0.conf:7: peer public key is redacted: this peer cannot be paired with a host: PublicKey = (redacted)",
                "office/gw/wg/wg0.conf:1: wg0: no PrivateKey or PublicKey: other hosts' peers cannot be paired with it: [Interface]",
                "office/gw/openvpn/server.conf: no interface tun in ip-addr.json (OpenVPN not running?): this configuration is not used");
    }

    @Test
    void wireGuardIsLoadedWithItsFwmarkAndPeer() {
        var wg = (roundtrip.model.WireGuardConfig) NET.host("gw").tunnels().get(0);
        assertThat(wg.device()).isEqualTo("wg0");
        assertThat(wg.fwmark()).isEqualTo(0xca6c);
        assertThat(wg.peers()).hasSize(1);
        assertThat(wg.peers().get(0).publicKey()).isNull();
        assertThat(wg.peers().get(0).allowedIps()).extracting(Object::toString).containsExactly("0.0.0.0/0");
    }

    @Test
    void segment() {
        assertThat(NET.segments()).hasSize(1);
        assertThat(NET.segments().get(0).members()).extracting(Object::toString).containsExactly("pc:eth0", "gw:lan0");
    }
}
