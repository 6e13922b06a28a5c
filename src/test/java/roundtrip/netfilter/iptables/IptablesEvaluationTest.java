package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Source;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/** Traversal (jump, goto, return, policy), targets, trace and uncertainty. */
class IptablesEvaluationTest {

    static IptablesRuleset rules(String... lines) {
        return IptablesSaveParser.parseRuleset("r.txt", String.join("\n", lines) + "\n");
    }

    static Pkt ssh() { return Pkt.tcp("10.0.0.5", "192.168.1.1", 22); }

    static java.util.List<String> actions(PacketContext ctx) {
        return ctx.trace.stream().map(TraceStep::action).toList();
    }

    @Test
    void jumpReturnAndFallingOffAUserChain() {
        IptablesRuleset rs = rules("*filter", ":INPUT DROP [0:0]", ":a - [0:0]", ":b - [0:0]",
                "-A INPUT -j a",                       // 5
                "-A INPUT -p tcp --dport 22 -j ACCEPT", // 6
                "-A a -j b",                           // 7
                "-A a -p tcp --dport 23 -j DROP",      // 8
                "-A b -p tcp --dport 22 -j RETURN",    // 9
                "-A b -j DROP",                        // 10
                "COMMIT");
        PacketContext ctx = ssh().ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.chain()).isEqualTo("INPUT");
        assertThat(v.decidedBy().line()).isEqualTo(6);
        assertThat(actions(ctx)).containsExactly("jump to a", "jump to b", "return", "accept");
        assertThat(ctx.trace.get(1).chain()).isEqualTo("a");
        assertThat(ctx.trace.get(2).rule().line()).isEqualTo(9);

        PacketContext other = Pkt.tcp("10.0.0.5", "192.168.1.1", 80).ctx();
        Verdict dropped = rs.evaluate("filter", Hook.INPUT, other);
        assertThat(dropped.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(dropped.chain()).isEqualTo("b");
        assertThat(dropped.decidedBy().line()).isEqualTo(10);
    }

    @Test
    void gotoDoesNotComeBack() {
        IptablesRuleset rs = rules("*filter", ":INPUT ACCEPT [0:0]", ":outer - [0:0]", ":g - [0:0]",
                "-A INPUT -j outer",
                "-A INPUT -j DROP",                 // reached when outer returns
                "-A outer -g g",
                "-A outer -j ACCEPT",               // skipped: the goto'd chain returns past it
                "-A g -p udp -j ACCEPT",
                "COMMIT");
        PacketContext ctx = ssh().ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(v.decidedBy().line()).isEqualTo(6);
        assertThat(actions(ctx)).containsExactly("jump to outer", "goto g", "drop");
    }

    @Test
    void gotoFromTheBuiltinChainEndsInThePolicy() {
        IptablesRuleset rs = rules("*filter", ":FORWARD DROP [0:0]", ":lan - [0:0]",
                "-A FORWARD -g lan", "-A FORWARD -j ACCEPT", "-A lan -p udp -j ACCEPT", "COMMIT");
        PacketContext ctx = ssh().hook(Hook.FORWARD).out("eth1").ctx();
        Verdict v = rs.evaluate("filter", Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(v.decidedBy()).isEqualTo(Source.NONE);
        assertThat(v.chain()).isEqualTo("FORWARD");
        assertThat(actions(ctx)).containsExactly("goto lan", "policy drop");
    }

    @Test
    void returnInABuiltinChainAppliesThePolicy() {
        IptablesRuleset rs = rules("*filter", ":INPUT DROP [0:0]", "-A INPUT -j RETURN", "-A INPUT -j ACCEPT", "COMMIT");
        PacketContext ctx = ssh().ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(actions(ctx)).containsExactly("return", "policy drop");
    }

    @Test
    void policiesAndMissingChains() {
        IptablesRuleset rs = rules("*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", "COMMIT");
        PacketContext ctx = ssh().ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v).isEqualTo(new Verdict(Verdict.Kind.DROP, "INPUT", Source.NONE, null, null));
        assertThat(ctx.trace).containsExactly(new TraceStep(TraceStep.Family.IPTABLES, "filter", "INPUT", Source.NONE, "policy drop", null));
        assertThat(rs.evaluate("filter", Hook.FORWARD, ssh().ctx()).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        // a table or chain that is absent accepts, with nothing traced
        PacketContext absent = ssh().ctx();
        assertThat(rs.evaluate("nat", Hook.PREROUTING, absent)).isEqualTo(Verdict.accept("PREROUTING"));
        assertThat(rs.evaluate("filter", Hook.PREROUTING, absent).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(absent.trace).isEmpty();
        assertThat(rs.matters("filter", Hook.INPUT)).isTrue();
        assertThat(rs.matters("filter", Hook.FORWARD)).isFalse();
    }

    @Test
    void rejectVariants() {
        IptablesRuleset rs = rules("*filter", ":INPUT ACCEPT [0:0]",
                "-A INPUT -p tcp --dport 1 -j REJECT --reject-with tcp-reset",
                "-A INPUT -p tcp --dport 2 -j REJECT",
                "-A INPUT -p tcp --dport 3 -j REJECT --reject-with icmp-host-prohibited",
                "-A INPUT -p tcp --dport 4 -j REJECT --reject-with admin-prohib",
                "-A INPUT -p tcp --dport 5 -j REJECT --reject-with icmp-net-unreachable",
                "-A INPUT -p tcp --dport 6 -j REJECT --reject-with icmp-host-unreachable",
                "-A INPUT -p tcp --dport 7 -j REJECT --reject-with icmp-proto-unreachable",
                "-A INPUT -p tcp --dport 8 -j REJECT --reject-with icmp-net-prohibited",
                "-A INPUT -p tcp --dport 9 -j REJECT --reject-with icmp-port-unreachable",
                "COMMIT");
        String[] expected = {"tcp-reset", "icmp-port-unreachable", "icmp-host-prohibited", "icmp-admin-prohibited",
            "icmp-net-unreachable", "icmp-host-unreachable", "icmp-proto-unreachable", "icmp-net-prohibited",
            "icmp-port-unreachable"};
        for (int port = 1; port <= 9; port++) {
            PacketContext ctx = Pkt.tcp("1.1.1.1", "2.2.2.2", port).ctx();
            Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
            assertThat(v.kind()).isEqualTo(Verdict.Kind.REJECT);
            assertThat(v.rejectWith()).isEqualTo(expected[port - 1]);
            assertThat(actions(ctx)).containsExactly("reject with " + expected[port - 1]);
        }
    }

    @Test
    void queueTargets() {
        IptablesRuleset rs = rules("*filter", "-A INPUT -p tcp -j NFQUEUE --queue-num 3 --queue-bypass",
                "-A INPUT -j QUEUE", "COMMIT");
        PacketContext ctx = ssh().ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.QUEUE);
        assertThat(v.passes()).isFalse();
        assertThat(actions(ctx)).containsExactly("queue to user space (NFQUEUE num 3)");
        assertThat(rs.evaluate("filter", Hook.INPUT, Pkt.udp("1.1.1.1", "2.2.2.2", 1).ctx()).kind())
                .isEqualTo(Verdict.Kind.QUEUE);
    }

    @Test
    void nonTerminalTargetsAreTracedAndContinue() {
        IptablesRuleset rs = rules("*filter", ":INPUT DROP [0:0]",
                "-A INPUT -j LOG --log-prefix \"in: \" --log-level 4",
                "-A INPUT -j TRACE",
                "-A INPUT -j NFLOG --nflog-group 2",
                "-A INPUT -p tcp",
                "-A INPUT -j ACCEPT", "COMMIT");
        PacketContext ctx = ssh().ctx();
        assertThat(rs.evaluate("filter", Hook.INPUT, ctx).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(actions(ctx)).containsExactly("LOG prefix \"in: \"", "TRACE", "NFLOG", "continue", "accept");
        assertThat(ctx.trace.get(0).rule().line()).isEqualTo(3);
        assertThat(ctx.trace.get(0).toString()).isEqualTo(
                "filter INPUT rule -A INPUT -j LOG --log-prefix \"in: \" --log-level 4 (LOG prefix \"in: \")");
    }

    @Test
    void tcpmssHasNoEffect() {
        IptablesRuleset rs = rules("*mangle", "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu",
                "-A FORWARD -p tcp -j TCPMSS --set-mss 1400", "COMMIT");
        PacketContext ctx = ssh().hook(Hook.FORWARD).ctx();
        assertThat(rs.evaluate("mangle", Hook.FORWARD, ctx).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(actions(ctx)).containsExactly("TCPMSS (no effect on reachability)", "TCPMSS (no effect on reachability)",
                "policy accept");
    }

    @Test
    void markTargetsFollowTheKernelXmarkArithmetic() {
        assertThat(markAfter("--set-xmark 0x1234/0xffffffff", 0xff0000)).isEqualTo(0x1234);
        assertThat(markAfter("--set-xmark 0x1/0xff", 0xf0f)).isEqualTo(0xf01);
        assertThat(markAfter("--set-xmark 0x3/0x0", 0x1)).isEqualTo(0x2);       // xor
        assertThat(markAfter("--set-mark 0x1", 0xff)).isEqualTo(0x1);
        assertThat(markAfter("--set-mark 0x100/0xff", 0xfff)).isEqualTo(0xf00);  // clears mask|value, sets value
        assertThat(markAfter("--and-mark 0xf0", 0xff)).isEqualTo(0xf0);
        assertThat(markAfter("--or-mark 0x2", 0x1)).isEqualTo(0x3);
        assertThat(markAfter("--xor-mark 0x3", 0x1)).isEqualTo(0x2);
        assertThat(markAfter("--set-xmark 0x0/0xffffff0f", 0xff)).isEqualTo(0xf0); // how iptables-save prints --and-mark 0xf0
    }

    private static long markAfter(String options, long before) {
        IptablesRuleset rs = rules("*mangle", "-A PREROUTING -j MARK " + options, "COMMIT");
        PacketContext ctx = ssh().hook(Hook.PREROUTING).mark(before).ctx();
        rs.evaluate("mangle", Hook.PREROUTING, ctx);
        assertThat(ctx.trace.get(0).action()).isEqualTo("MARK set 0x" + Long.toHexString(ctx.packet.mark));
        return ctx.packet.mark;
    }

    @Test
    void markIsSeenByLaterRules() {
        IptablesRuleset rs = rules("*mangle", ":PREROUTING DROP [0:0]", "-A PREROUTING -j MARK --set-mark 0x7",
                "-A PREROUTING -m mark --mark 0x7 -j ACCEPT", "COMMIT");
        assertThat(rs.evaluate("mangle", Hook.PREROUTING, ssh().hook(Hook.PREROUTING).ctx()).kind())
                .isEqualTo(Verdict.Kind.ACCEPT);
    }

    /** Scenario S16: a VPN server marks connections arriving on tun0 and restores the mark on their replies. */
    @Test
    void s16ConnmarkSetAndRestore() {
        IptablesRuleset rs = IptablesSaveParserTest.load("vpn-connmark-counters.txt");
        // the request arrives on tun0: the connection is marked
        PacketContext request = ssh().hook(Hook.PREROUTING).in("tun0").ctx();
        assertThat(rs.evaluate("mangle", Hook.PREROUTING, request).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(request.ctMark).isEqualTo(0x1234);
        assertThat(request.packet.mark).isEqualTo(0x1234); // the second rule restores it onto the packet too
        assertThat(actions(request)).containsExactly("CONNMARK set 0x1234", "CONNMARK restore -> mark 0x1234",
                "policy accept");
        // the reply, generated locally, gets the mark back from the connection in mangle OUTPUT
        PacketContext reply = Pkt.tcp("192.168.1.1", "10.0.0.5", 40000).sport(22).hook(Hook.OUTPUT).in(null)
                .state(CtState.ESTABLISHED).reply().ctMark(request.ctMark).ctx();
        rs.evaluate("mangle", Hook.OUTPUT, reply);
        assertThat(reply.packet.mark).isEqualTo(0x1234);
        assertThat(reply.trace.get(0).action()).isEqualTo("CONNMARK restore -> mark 0x1234");
        assertThat(reply.trace.get(0).rule().line()).isEqualTo(10);
        // a connection from elsewhere is not marked
        PacketContext other = ssh().hook(Hook.PREROUTING).in("eth0").ctx();
        rs.evaluate("mangle", Hook.PREROUTING, other);
        assertThat(other.ctMark).isZero();
        assertThat(other.packet.mark).isZero();
    }

    @Test
    void connmarkMasks() {
        // save: ct = (ct & ~ctmask) ^ (mark & nfmask)
        PacketContext save = run("-j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff", ssh().mark(0x1234).ctMark(0xab00));
        assertThat(save.ctMark).isEqualTo(0xab34);
        assertThat(save.trace.get(0).action()).isEqualTo("CONNMARK save -> ctmark 0xab34");
        PacketContext saveAll = run("-j CONNMARK --save-mark", ssh().mark(0x1234).ctMark(0xab00));
        assertThat(saveAll.ctMark).isEqualTo(0x1234);
        PacketContext saveMask = run("-j CONNMARK --save-mark --mask 0xf", ssh().mark(0x1234).ctMark(0xab00));
        assertThat(saveMask.ctMark).isEqualTo(0xab04);
        // restore: mark = (mark & ~nfmask) ^ (ct & ctmask)
        PacketContext restore = run("-j CONNMARK --restore-mark --nfmask 0xff00 --ctmask 0xff00", ssh().mark(0x1234).ctMark(0xabcd));
        assertThat(restore.packet.mark).isEqualTo(0xab34);
        PacketContext restoreAll = run("-j CONNMARK --restore-mark", ssh().mark(0x1234).ctMark(0xabcd));
        assertThat(restoreAll.packet.mark).isEqualTo(0xabcd);
        // set: ct = (ct & ~mask) ^ value
        assertThat(run("-j CONNMARK --set-xmark 0x5/0xf", ssh().ctMark(0xff)).ctMark).isEqualTo(0xf5);
        assertThat(run("-j CONNMARK --set-mark 0x5", ssh().ctMark(0xff)).ctMark).isEqualTo(0x5);
        assertThat(run("-j CONNMARK --or-mark 0x100", ssh().ctMark(0xff)).ctMark).isEqualTo(0x1ff);
        // without a conntrack entry nothing changes
        PacketContext untracked = run("-j CONNMARK --set-xmark 0x5/0xf", ssh().state(CtState.UNTRACKED).ctMark(0xff));
        assertThat(untracked.ctMark).isEqualTo(0xff);
        assertThat(untracked.trace.get(0).action()).contains("no conntrack entry");
    }

    private static PacketContext run(String ruleTail, Pkt pkt) {
        IptablesRuleset rs = rules("*mangle", "-A PREROUTING " + ruleTail, "COMMIT");
        PacketContext ctx = pkt.hook(Hook.PREROUTING).ctx();
        rs.evaluate("mangle", Hook.PREROUTING, ctx);
        return ctx;
    }

    @Test
    void natTargets() {
        IptablesRuleset rs = IptablesSaveParserTest.load("kitchen-sink-nft.txt");
        assertThat(nat(rs, Hook.PREROUTING, Pkt.tcp("8.8.8.8", "203.0.113.1", 8080).in("eth0").local("203.0.113.1")))
                .isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("172.17.0.2"), Ip.parse("172.17.0.2"), 80, 80));
        assertThat(nat(rs, Hook.PREROUTING, Pkt.tcp("8.8.8.8", "203.0.113.1", 8081).local("203.0.113.1")))
                .isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("172.17.0.3"), Ip.parse("172.17.0.3"), 0, 0));
        assertThat(nat(rs, Hook.PREROUTING, Pkt.tcp("8.8.8.8", "203.0.113.1", 8082).local("203.0.113.1")))
                .isEqualTo(new NatAction(NatAction.Type.DNAT, null, null, 8083, 8083));
        assertThat(nat(rs, Hook.PREROUTING, Pkt.tcp("8.8.8.8", "203.0.113.1", 8084).local("203.0.113.1")))
                .isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("10.0.0.1"), Ip.parse("10.0.0.5"), 80, 90));
        assertThat(nat(rs, Hook.PREROUTING, Pkt.tcp("8.8.8.8", "9.9.9.9", 25)))
                .isEqualTo(new NatAction(NatAction.Type.REDIRECT, null, null, 2525, 2525));
        assertThat(nat(rs, Hook.PREROUTING, Pkt.udp("8.8.8.8", "9.9.9.9", 53)))
                .isEqualTo(new NatAction(NatAction.Type.REDIRECT, null, null, 0, 0));
        // docker0 traffic returns from DOCKER, so it is not DNATed
        assertThat(nat(rs, Hook.PREROUTING, Pkt.tcp("172.17.0.9", "203.0.113.1", 8080).in("docker0").local("203.0.113.1")))
                .isNull();
        Pkt fromContainer = Pkt.tcp("172.17.0.2", "1.1.1.1", 443).hook(Hook.POSTROUTING).out("eth9");
        assertThat(nat(rs, Hook.POSTROUTING, fromContainer))
                .isEqualTo(new NatAction(NatAction.Type.MASQUERADE, null, null, 0, 0));
        assertThat(nat(rs, Hook.POSTROUTING, Pkt.tcp("192.168.5.5", "1.1.1.1", 443).hook(Hook.POSTROUTING).out("eth0")))
                .isEqualTo(new NatAction(NatAction.Type.MASQUERADE, null, null, 1024, 65535));
        assertThat(nat(rs, Hook.POSTROUTING, Pkt.tcp("10.1.1.1", "1.1.1.1", 443).hook(Hook.POSTROUTING).out("eth1")))
                .isEqualTo(new NatAction(NatAction.Type.SNAT, Ip.parse("1.2.3.4"), Ip.parse("1.2.3.4"), 0, 0));
        assertThat(nat(rs, Hook.POSTROUTING, Pkt.udp("10.1.1.1", "1.1.1.1", 53).hook(Hook.POSTROUTING).out("eth2")))
                .isEqualTo(new NatAction(NatAction.Type.SNAT, Ip.parse("1.2.3.4"), Ip.parse("1.2.3.8"), 1000, 2000));
    }

    private static NatAction nat(IptablesRuleset rs, Hook hook, Pkt pkt) {
        PacketContext ctx = pkt.hook(hook).ctx();
        Verdict v = rs.evaluate("nat", hook, ctx);
        assertThat(v.passes()).isTrue();
        if (v.kind() == Verdict.Kind.NAT) {
            assertThat(ctx.trace.get(ctx.trace.size() - 1).action()).startsWith(v.nat().type().name());
            return v.nat();
        }
        return null;
    }

    @Test
    void natTraceText() {
        IptablesRuleset rs = rules("*nat", "-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.10.10.2", "COMMIT");
        PacketContext ctx = Pkt.tcp("1.1.1.1", "2.2.2.2", 80).hook(Hook.PREROUTING).ctx();
        Verdict v = rs.evaluate("nat", Hook.PREROUTING, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NAT);
        assertThat(v.decidedBy().line()).isEqualTo(2);
        assertThat(actions(ctx)).containsExactly("DNAT to 10.10.10.2");
    }

    @Test
    void notrackInRaw() {
        IptablesRuleset rs = rules("*raw", "-A PREROUTING -i lo -j NOTRACK",
                "-A PREROUTING -p udp -m udp --dport 53 -j CT --notrack", "-A OUTPUT -j CT --helper ftp", "COMMIT");
        PacketContext dns = Pkt.udp("1.1.1.1", "2.2.2.2", 53).hook(Hook.PREROUTING).ctx();
        rs.evaluate("raw", Hook.PREROUTING, dns);
        assertThat(dns.notrack).isTrue();
        assertThat(actions(dns)).containsExactly("notrack", "policy accept");
        PacketContext lo = ssh().in("lo").hook(Hook.PREROUTING).ctx();
        rs.evaluate("raw", Hook.PREROUTING, lo);
        assertThat(lo.notrack).isTrue();
        PacketContext web = ssh().hook(Hook.PREROUTING).ctx();
        rs.evaluate("raw", Hook.PREROUTING, web);
        assertThat(web.notrack).isFalse();
        PacketContext out = ssh().hook(Hook.OUTPUT).ctx();
        rs.evaluate("raw", Hook.OUTPUT, out);
        assertThat(out.notrack).isFalse();
        assertThat(actions(out)).containsExactly("CT helper ftp", "policy accept");
    }

    @Test
    void unknownSyntaxMakesTheProbeUncertainOnlyWhereReached() {
        IptablesRuleset rs = rules("*filter", ":INPUT DROP [0:0]",
                "-A INPUT -p udp -m cpu --cpu 1 -j DROP",               // 3: only udp can reach the unknown part
                "-A INPUT -p tcp -m time --timestart 10:00 -j DROP",    // 4
                "-A INPUT -p tcp -j ACCEPT",                             // 5
                "COMMIT");
        PacketContext ctx = ssh().ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().line()).isEqualTo(5);
        assertThat(ctx.uncertain).hasSize(1);
        assertThat(ctx.uncertain.get(0).message().english()).isEqualTo("unknown match -m time");
        assertThat(ctx.uncertain.get(0).source().line()).isEqualTo(4);
        assertThat(rs.problems()).hasSize(2);
    }

    @Test
    void unknownTargetIsUncertainAndSkipped() {
        IptablesRuleset rs = rules("*mangle", "-A PREROUTING -p tcp -j HMARK --hmark-mod 2", "-A PREROUTING -j MARK --set-mark 1",
                "COMMIT");
        PacketContext ctx = ssh().hook(Hook.PREROUTING).ctx();
        rs.evaluate("mangle", Hook.PREROUTING, ctx);
        assertThat(ctx.uncertain).extracting(p -> p.message().english()).containsExactly("unknown target -j HMARK");
        assertThat(actions(ctx)).containsExactly("MARK set 0x1", "policy accept");
        PacketContext udp = Pkt.udp("1.1.1.1", "2.2.2.2", 53).hook(Hook.PREROUTING).ctx();
        rs.evaluate("mangle", Hook.PREROUTING, udp);
        assertThat(udp.uncertain).isEmpty();
    }

    @Test
    void dockerPublishedPortIsForwarded() {
        IptablesRuleset rs = IptablesSaveParserTest.load("docker-nft.txt");
        Pkt req = Pkt.tcp("198.51.100.7", "172.17.0.2", 80).hook(Hook.FORWARD).in("eth0").out("docker0").dnat();
        PacketContext ctx = req.ctx();
        Verdict v = rs.evaluate("filter", Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.chain()).isEqualTo("DOCKER");
        assertThat(actions(ctx)).containsExactly("jump to DOCKER-USER", "return", "jump to DOCKER-ISOLATION-STAGE-1",
                "return", "jump to DOCKER", "accept");
        // another port to the container hits the FORWARD DROP policy
        PacketContext other = Pkt.tcp("198.51.100.7", "172.17.0.2", 81).hook(Hook.FORWARD).in("eth0").out("docker0").ctx();
        Verdict dropped = rs.evaluate("filter", Hook.FORWARD, other);
        assertThat(dropped.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(dropped.decidedBy()).isEqualTo(Source.NONE);
        // container to container across bridges is isolated
        PacketContext across = Pkt.tcp("172.17.0.2", "172.18.0.2", 80).hook(Hook.FORWARD).in("docker0")
                .out("br-5f1e2d3c4b5a").ctx();
        Verdict isolated = rs.evaluate("filter", Hook.FORWARD, across);
        assertThat(isolated.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(isolated.chain()).isEqualTo("DOCKER-ISOLATION-STAGE-2");
    }

    @Test
    void openwrtWanInputRejectsSshButAllowsPing() {
        IptablesRuleset rs = IptablesSaveParserTest.load("openwrt-legacy.txt");
        PacketContext ssh = Pkt.tcp("198.51.100.7", "203.0.113.2", 22).in("eth0.2").ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ssh);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.REJECT);
        assertThat(v.rejectWith()).isEqualTo("tcp-reset");
        assertThat(v.chain()).isEqualTo("reject");
        PacketContext ping = Pkt.icmp("198.51.100.7", "203.0.113.2", Packet.ICMP_ECHO, 0).in("eth0.2").ctx();
        Verdict pv = rs.evaluate("filter", Hook.INPUT, ping);
        assertThat(pv.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(pv.decidedBy().text()).contains("Allow-Ping");
        PacketContext lanSsh = Pkt.tcp("192.168.1.20", "192.168.1.1", 22).in("br-lan").ctx();
        assertThat(rs.evaluate("filter", Hook.INPUT, lanSsh).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        PacketContext wanUdp = Pkt.udp("198.51.100.7", "203.0.113.2", 53).in("eth0.2").ctx();
        Verdict uv = rs.evaluate("filter", Hook.INPUT, wanUdp);
        assertThat(uv.rejectWith()).isEqualTo("icmp-port-unreachable");
        // port forward: DNAT in nat PREROUTING, then accepted in FORWARD by ctstate DNAT
        PacketContext pre = Pkt.tcp("198.51.100.7", "203.0.113.2", 2222).in("eth0.2").hook(Hook.PREROUTING).ctx();
        Verdict nat = rs.evaluate("nat", Hook.PREROUTING, pre);
        assertThat(nat.nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("192.168.1.10"), Ip.parse("192.168.1.10"), 22, 22));
        PacketContext fwd = Pkt.tcp("198.51.100.7", "192.168.1.10", 22).in("eth0.2").out("br-lan").hook(Hook.FORWARD).dnat().ctx();
        assertThat(rs.evaluate("filter", Hook.FORWARD, fwd).kind()).isEqualTo(Verdict.Kind.ACCEPT);
    }
}
