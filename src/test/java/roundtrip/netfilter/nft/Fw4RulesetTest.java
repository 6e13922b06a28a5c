package roundtrip.netfilter.nft;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Packet;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ruleset OpenWrt's firewall4 generates for a stock two-zone router (resources/nft/fw4-two-zone.nft, loaded
 * into a namespace with nft -f and listed with nft -j), run hook by hook as the kernel would.
 */
class Fw4RulesetTest {
    static final NftRuleset FW4 = NftJsonReader.parse("router/nft.json", NftFixtures.resource("fw4-two-zone.json"));
    static final String LEAK_RULE = "meta nfproto ipv4 oifname \"wan\" ct state invalid counter drop comment \"!fw4: Prevent NAT leakage\"";

    /** Runs every base chain of the hook by priority, as the kernel model does (nat chains included). */
    static Verdict hook(Hook hook, PacketContext ctx) {
        return hook(FW4, hook, ctx);
    }

    static Verdict hook(NftRuleset rs, Hook hook, PacketContext ctx) {
        Verdict last = Verdict.accept(hook.name());
        for (BaseChain c : rs.chains(hook)) {
            last = c.evaluate(ctx);
            if (!last.passes()) return last;
        }
        return last;
    }

    static Pkt lanToWan() { return Pkt.tcp("192.168.1.100", "198.51.100.7", 443).in("br-lan").out("wan").hook(Hook.FORWARD); }

    static List<String> trace(PacketContext ctx) {
        return ctx.trace.stream().map(TraceStep::toString).toList();
    }

    @Test
    void everyRuleIsUnderstood() {
        assertThat(FW4.problems()).isEmpty();
        assertThat(FW4.tableNames()).containsExactly("inet fw4");
        assertThat(FW4.chains(Hook.FORWARD)).extracting(BaseChain::name).containsExactly("mangle_forward", "forward");
        assertThat(FW4.chains(Hook.PREROUTING)).extracting(BaseChain::priority).containsExactly(-300, -150, -100, 0);
        assertThat(FW4.chains(Hook.OUTPUT)).extracting(BaseChain::type)
                .containsExactly(BaseChain.Type.FILTER, BaseChain.Type.ROUTE, BaseChain.Type.FILTER);
    }

    @Test
    void lanToWanIsForwardedAndMasqueraded() {
        PacketContext ctx = lanToWan().ctx();
        Verdict v = hook(Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.chain()).isEqualTo("accept_to_wan");
        assertThat(v.decidedBy().text()).isEqualTo("oifname \"wan\" counter accept comment \"!fw4: accept wan IPv4/IPv6 traffic\"");
        assertThat(ctx.trace).extracting(TraceStep::action).containsExactly(
                "policy accept",                    // mangle_forward
                "jump to forward_lan", "jump to accept_to_wan", "verdict accept");

        PacketContext post = lanToWan().hook(Hook.POSTROUTING).ctx();
        BaseChain srcnat = FW4.chains(Hook.POSTROUTING).stream().filter(c -> c.type() == BaseChain.Type.NAT).findFirst().orElseThrow();
        Verdict nat = srcnat.evaluate(post);
        assertThat(nat.kind()).isEqualTo(Verdict.Kind.NAT);
        assertThat(nat.nat().type()).isEqualTo(NatAction.Type.MASQUERADE);
        assertThat(nat.chain()).isEqualTo("srcnat_wan");
        assertThat(trace(post)).containsExactly(
                "inet fw4 srcnat rule oifname \"wan\" jump srcnat_wan comment \"!fw4: Handle wan IPv4/IPv6 srcnat traffic\" (jump to srcnat_wan)",
                "inet fw4 srcnat_wan rule meta nfproto ipv4 masquerade comment \"!fw4: Masquerade IPv4 wan traffic\" (masquerade)");
    }

    @Test
    void establishedAndRelatedComeBack() {
        Pkt reply = Pkt.tcp("198.51.100.7", "192.168.1.100", 40000).sport(443).flags(Packet.SYN | Packet.ACK)
                .in("wan").out("br-lan").hook(Hook.FORWARD).reply();
        assertThat(hook(Hook.FORWARD, reply.state(CtState.ESTABLISHED).ctx()).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        PacketContext related = Pkt.icmp("198.51.100.1", "192.168.1.100", 3, 4).in("wan").out("br-lan")
                .hook(Hook.FORWARD).state(CtState.RELATED).ctx();
        Verdict v = hook(Hook.FORWARD, related);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().text()).startsWith("ct state vmap { established : accept, related : accept }");
    }

    @Test
    void wanToLanIsRejectedByTheForwardDefault() {
        PacketContext ctx = Pkt.tcp("198.51.100.7", "192.168.1.100", 22).in("wan").out("br-lan").hook(Hook.FORWARD).ctx();
        Verdict v = hook(Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(v.rejectWith()).isEqualTo("tcp-reset");
        assertThat(ctx.trace).extracting(TraceStep::action).containsExactly(
                "tcp option maxseg size set rt mtu, verdict continue", "policy accept",   // mangle_forward: MSS clamp on wan SYNs
                "jump to forward_wan", "jump to drop_to_wan", "jump to handle_reject", "reject with tcp reset");
        PacketContext udp = Pkt.udp("198.51.100.7", "192.168.1.100", 53).in("wan").out("br-lan").hook(Hook.FORWARD).ctx();
        assertThat(hook(Hook.FORWARD, udp).rejectWith()).isEqualTo("icmp-port-unreachable");
    }

    @Test
    void invalidTowardsWanIsDroppedAsNatLeakage() {
        // S15: a reply forwarded out of wan that this router never saw the request of
        PacketContext ctx = Pkt.icmp("222.195.90.107", "114.214.173.252", 0, 0).in("br-lan").out("wan")
                .hook(Hook.FORWARD).state(CtState.INVALID).ctx();
        Verdict v = hook(Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(v.chain()).isEqualTo("accept_to_wan");
        assertThat(v.decidedBy().text()).isEqualTo(LEAK_RULE);
        assertThat(v.decidedBy().file()).isEqualTo("router/nft.json");
        assertThat(trace(ctx)).endsWith("inet fw4 accept_to_wan rule " + LEAK_RULE + " (verdict drop)");
        // the router's own invalid packets to wan are dropped too: output jumps to accept_to_wan as well
        PacketContext out = Pkt.tcp("203.0.113.2", "198.51.100.7", 443).in(null).out("wan").hook(Hook.OUTPUT)
                .state(CtState.INVALID).ctx();
        assertThat(hook(Hook.OUTPUT, out).decidedBy().text()).isEqualTo(LEAK_RULE);
    }

    @Test
    void rulesAreListedWithChainHandleAndComment() {
        List<NftRuleset.RuleInfo> leak = FW4.rules().stream().filter(r -> "!fw4: Prevent NAT leakage".equals(r.comment())).toList();
        assertThat(leak).hasSize(1);
        assertThat(leak.get(0).table()).isEqualTo("inet fw4");
        assertThat(leak.get(0).chain()).isEqualTo("accept_to_wan");
        assertThat(leak.get(0).source().text()).isEqualTo(LEAK_RULE);
        assertThat(leak.get(0).handle()).isEqualTo(leak.get(0).source().line()).isPositive();
        assertThat(FW4.rules()).hasSize(FW4.size());
    }

    @Test
    void deletingARuleByHandleReadsTheRulesetAgainWithoutIt() {
        NftRuleset.RuleInfo leak = FW4.rules().stream().filter(r -> "!fw4: Prevent NAT leakage".equals(r.comment())).findFirst().orElseThrow();
        int handle = leak.handle();
        NftRuleset edited = FW4.withoutRules(List.of(leak));
        assertThat(edited.size()).isEqualTo(FW4.size() - 1);
        assertThat(edited.rules()).noneMatch(r -> r.handle() == handle);
        // the invalid answer now reaches the zone's accept rule, forwarded and output alike
        PacketContext ctx = Pkt.icmp("222.195.90.107", "114.214.173.252", 0, 0).in("br-lan").out("wan")
                .hook(Hook.FORWARD).state(CtState.INVALID).ctx();
        Verdict v = Fw4RulesetTest.hook(edited, Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().text()).isEqualTo("oifname \"wan\" counter accept comment \"!fw4: accept wan IPv4/IPv6 traffic\"");
        assertThat(v.decidedBy().file()).isEqualTo("router/nft.json");
        // the original is unchanged, and nft refuses a handle the table does not have
        assertThat(hook(Hook.FORWARD, Pkt.icmp("222.195.90.107", "114.214.173.252", 0, 0).in("br-lan").out("wan")
                .hook(Hook.FORWARD).state(CtState.INVALID).ctx()).kind()).isEqualTo(Verdict.Kind.DROP);
        NftRuleset.RuleInfo absent = new NftRuleset.RuleInfo("inet fw4", "accept_to_wan", 99999, null, leak.source());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FW4.withoutRules(List.of(absent)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(leak.source().where());
        NftRuleset.RuleInfo otherTable = new NftRuleset.RuleInfo("ip filter", "accept_to_wan", handle, null, leak.source());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FW4.withoutRules(List.of(otherTable)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inputFromWanAllowsPingAndRejectsTheRest() {
        PacketContext ping = Pkt.icmp("198.51.100.7", "203.0.113.2", 8, 0).in("wan").hook(Hook.INPUT).ctx();
        Verdict v = hook(Hook.INPUT, ping);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().text()).isEqualTo("icmp type echo-request counter accept comment \"!fw4: Allow-Ping\"");
        PacketContext ssh = Pkt.tcp("198.51.100.7", "203.0.113.2", 22).in("wan").hook(Hook.INPUT).ctx();
        Verdict r = hook(Hook.INPUT, ssh);
        assertThat(r.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(ssh.trace).extracting(TraceStep::action).contains("jump to syn_flood",
                "limit rate 25/second burst 50 packets (one packet of a quiet flow: within the rate), verdict return");
        PacketContext lan = Pkt.tcp("192.168.1.100", "192.168.1.1", 22).in("br-lan").hook(Hook.INPUT).ctx();
        assertThat(hook(Hook.INPUT, lan).kind()).isEqualTo(Verdict.Kind.ACCEPT);
    }
}
