package roundtrip.netfilter.nft;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Source;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.netfilter.nft.NftFixtures.chain;
import static roundtrip.netfilter.nft.NftFixtures.chainAt;

/** Traversal (jump, goto, return, vmap, policy), statements, trace and uncertainty. */
class NftEvaluationTest {
    static Pkt ssh() { return Pkt.tcp("10.0.0.5", "192.168.1.1", 22).in("eth0").out("eth1").hook(Hook.FORWARD); }

    static Verdict run(NftRuleset rs, PacketContext ctx) { return rs.chains(ctx.hook).get(0).evaluate(ctx); }

    static List<String> actions(PacketContext ctx) { return ctx.trace.stream().map(TraceStep::action).toList(); }

    static final String SSH = "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 22}}";

    @Test
    void jumpComesBackGotoDoesNotAndThePolicyEndsTheBaseChain() {
        NftRuleset rs = chain(
                "[{\"counter\": {\"packets\": 0, \"bytes\": 0}}]",
                "[" + SSH + ", {\"jump\": {\"target\": \"y\"}}]");
        PacketContext ctx = ssh().ctx();
        Verdict v = run(rs, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(v.chain()).isEqualTo("y");
        assertThat(v.decidedBy().line()).isEqualTo(91);
        assertThat(v.decidedBy().text()).isEqualTo("drop");
        assertThat(actions(ctx)).containsExactly("verdict continue", "jump to y", "verdict drop");
        assertThat(ctx.trace.get(1).rule().text()).isEqualTo("tcp dport 22 jump y");
        assertThat(ctx.trace.get(1).table()).isEqualTo("ip t");

        NftRuleset returning = chain("[{\"return\": null}]", "[{\"drop\": null}]");
        PacketContext r = ssh().ctx();
        assertThat(run(returning, r).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(actions(r)).containsExactly("verdict return", "policy accept");
        assertThat(run(returning, r).decidedBy()).isEqualTo(Source.NONE);
    }

    @Test
    void gotoDoesNotReturnToTheRuleAfterIt() {
        NftRuleset rs = chainAt("forward", "filter", 0, "drop",
                "[{\"goto\": {\"target\": \"x\"}}]", "[{\"drop\": null}]");
        PacketContext ctx = ssh().ctx();
        assertThat(run(rs, ctx).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(actions(ctx)).containsExactly("goto x", "verdict accept");
    }

    @Test
    void verdictMapsInlineAndNamed() {
        String vmap = "[{\"vmap\": {\"key\": {\"meta\": {\"key\": \"iifname\"}}, \"data\": {\"set\": [[\"eth0\", {\"jump\": {\"target\": \"y\"}}], [\"wg*\", {\"goto\": {\"target\": \"x\"}}]]}}}]";
        NftRuleset rs = chainAt("forward", "filter", 0, "drop", vmap);
        assertThat(run(rs, ssh().ctx()).kind()).isEqualTo(Verdict.Kind.DROP);
        PacketContext wg = ssh().in("wg7").ctx();
        assertThat(run(rs, wg).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(actions(wg)).containsExactly("goto x", "verdict accept");
        PacketContext other = ssh().in("lan").ctx();
        assertThat(run(rs, other).decidedBy()).isEqualTo(Source.NONE);   // no element: the rule goes on, policy drop
        assertThat(actions(other)).containsExactly("policy drop");

        NftRuleset named = chain("[{\"vmap\": {\"key\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"data\": \"@portmap\"}}]", "[{\"drop\": null}]");
        assertThat(run(named, ssh().ctx()).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(named.chains(Hook.FORWARD).get(0).evaluate(Pkt.tcp("1.1.1.1", "2.2.2.2", 23).hook(Hook.FORWARD).ctx()).kind())
                .isEqualTo(Verdict.Kind.DROP);
    }

    @Test
    void ctStateVmapAsFw4WritesIt() {
        String vmap = "[{\"vmap\": {\"key\": {\"ct\": {\"key\": \"state\"}}, \"data\": {\"set\": [[\"established\", {\"accept\": null}], [\"related\", {\"accept\": null}], [\"invalid\", {\"drop\": null}]]}}}]";
        NftRuleset rs = chainAt("forward", "filter", 0, "drop", vmap, "[{\"accept\": null}]");
        assertThat(run(rs, ssh().state(CtState.ESTABLISHED).ctx()).decidedBy().text())
                .isEqualTo("ct state vmap { established : accept, related : accept, invalid : drop }");
        assertThat(run(rs, ssh().state(CtState.INVALID).ctx()).kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(run(rs, ssh().state(CtState.NEW).ctx()).decidedBy().line()).isEqualTo(11);
    }

    @Test
    void marksAreSetRestoredAndSavedWithMasks() {
        NftRuleset rs = chain(
                "[{\"mangle\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, \"value\": {\"ct\": {\"key\": \"mark\"}}}}]",
                "[{\"mangle\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, \"value\": {\"|\": [{\"&\": [{\"meta\": {\"key\": \"mark\"}}, 4294902271]}, 256]}}}]",
                "[{\"mangle\": {\"key\": {\"ct\": {\"key\": \"mark\"}}, \"value\": {\"meta\": {\"key\": \"mark\"}}}}]");
        PacketContext ctx = ssh().state(CtState.ESTABLISHED).ctMark(0xff0f).ctx();
        run(rs, ctx);
        assertThat(ctx.packet.mark).isEqualTo(0x10fL);   // restored 0xff0f, bits 8-15 cleared, 0x100 set
        assertThat(ctx.ctMark).isEqualTo(0x10fL);
        assertThat(actions(ctx).get(0)).isEqualTo("meta mark set ct mark, verdict continue");
        assertThat(ctx.trace.get(1).rule().text()).isEqualTo("meta mark set meta mark & 0xffff01ff | 0x00000100");

        // no connection: ct mark is not set, the restore reads nothing
        PacketContext invalid = ssh().state(CtState.INVALID).mark(5).ctx();
        run(rs, invalid);
        assertThat(invalid.ctMark).isZero();
        assertThat(invalid.packet.mark).isEqualTo(5 & 0xffff00ffL | 0x100);
    }

    @Test
    void dscpIsWrittenIntoTheTosByte() {
        NftRuleset rs = chain("[{\"mangle\": {\"key\": {\"payload\": {\"protocol\": \"ip\", \"field\": \"dscp\"}}, \"value\": \"cs1\"}}]");
        PacketContext ctx = ssh().ctx();
        ctx.packet.tos = 1;
        run(rs, ctx);
        assertThat(ctx.packet.tos).isEqualTo(0x21);
        assertThat(actions(ctx).get(0)).isEqualTo("ip dscp set cs1, verdict continue");
    }

    @Test
    void rejectsAndNat() {
        NftRuleset rs = chain("[" + SSH + ", {\"reject\": {\"type\": \"tcp reset\"}}]", "[{\"reject\": {\"type\": \"icmpx\", \"expr\": \"port-unreachable\"}}]");
        Verdict v = run(rs, ssh().ctx());
        assertThat(v.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(v.rejectWith()).isEqualTo("tcp-reset");
        assertThat(run(rs, Pkt.udp("1.1.1.1", "2.2.2.2", 53).hook(Hook.FORWARD).ctx()).rejectWith()).isEqualTo("icmp-port-unreachable");

        NftRuleset nat = chainAt("prerouting", "nat", -100, "accept",
                "[" + SSH + ", {\"dnat\": {\"addr\": \"192.168.1.10\", \"port\": 80}}]",
                "[{\"dnat\": {\"addr\": {\"range\": [\"192.168.1.20\", \"192.168.1.30\"]}, \"port\": {\"range\": [7000, 7010]}}}]");
        assertThat(nat.chains(Hook.PREROUTING).get(0).type()).isEqualTo(BaseChain.Type.NAT);
        assertThat(nat.chains(Hook.PREROUTING).get(0).priority()).isEqualTo(-100);
        PacketContext ctx = ssh().hook(Hook.PREROUTING).ctx();
        Verdict d = run(nat, ctx);
        assertThat(d.kind()).isEqualTo(Verdict.Kind.NAT);
        assertThat(d.nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, roundtrip.model.Ip.parse("192.168.1.10"),
                roundtrip.model.Ip.parse("192.168.1.10"), 80, 80));
        assertThat(actions(ctx)).containsExactly("dnat to 192.168.1.10:80");
        Verdict range = run(nat, Pkt.tcp("1.1.1.1", "2.2.2.2", 7005).hook(Hook.PREROUTING).ctx());
        assertThat(range.nat().toString()).isEqualTo("DNAT 192.168.1.20-192.168.1.30:7000-7010");

        NftRuleset masq = chainAt("postrouting", "nat", 100, "accept",
                "[{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"oifname\"}}, \"right\": \"wan\"}}, {\"masquerade\": null}]");
        Verdict mv = run(masq, ssh().hook(Hook.POSTROUTING).out("wan").ctx());
        assertThat(mv.nat().type()).isEqualTo(NatAction.Type.MASQUERADE);
        assertThat(mv.decidedBy().text()).isEqualTo("oifname \"wan\" masquerade");
    }

    @Test
    void notrackBeforeConntrackMakesTheStateUntracked() {
        NftRuleset rs = chainAt("prerouting", "filter", -300, "accept",
                "[{\"notrack\": null}]",
                "[{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": \"untracked\"}}, {\"counter\": null}]");
        assertThat(rs.chains(Hook.PREROUTING).get(0).priority()).isEqualTo(-300);
        PacketContext ctx = ssh().hook(Hook.PREROUTING).state(CtState.INVALID).ctx();
        run(rs, ctx);
        assertThat(ctx.notrack).isTrue();
        assertThat(actions(ctx)).containsExactly("notrack, verdict continue", "verdict continue", "policy accept");
    }

    @Test
    void notUnderstoodRulesMakeTheResultUncertainWhenReached() {
        // an iptables-nft extension: only iptables-save says what `xt match recent` does
        NftRuleset rs = chain("[" + SSH + ", {\"xt\": {\"type\": \"match\", \"name\": \"recent\"}}, {\"drop\": null}]");
        assertThat(rs.problems()).hasSize(1);
        assertThat(rs.problems().get(0).source().text()).isEqualTo("tcp dport 22 xt match \"recent\" drop");
        assertThat(rs.problems().get(0).message().english()).contains("xt match recent");
        PacketContext reached = ssh().ctx();
        assertThat(run(rs, reached).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(reached.uncertain).containsExactly(rs.problems().get(0));
        PacketContext passedBy = Pkt.udp("1.1.1.1", "2.2.2.2", 53).hook(Hook.FORWARD).ctx();
        run(rs, passedBy);
        assertThat(passedBy.uncertain).isEmpty();
    }

    @Test
    void basechainsOfAHookComeByPriority() {
        String json = NftFixtures.resource("zoo.json");
        NftRuleset rs = NftJsonReader.parse("zoo/nft.json", json);
        assertThat(rs.chains(Hook.PREROUTING)).extracting(BaseChain::priority).containsExactly(-300, -100);
        assertThat(rs.chains(Hook.OUTPUT)).extracting(BaseChain::type).containsExactly(BaseChain.Type.ROUTE);
        assertThat(rs.chains(Hook.INPUT)).extracting(BaseChain::table).containsExactly("inet x", "ip6 y");
    }
}
