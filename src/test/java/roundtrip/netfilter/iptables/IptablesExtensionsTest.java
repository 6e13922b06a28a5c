package roundtrip.netfilter.iptables;

import org.junit.jupiter.api.Test;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.IpSets;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Pkt;
import roundtrip.netfilter.Verdict;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extensions of issue 11 as iptables-save 1.8.9 prints them (extensions-iptables-save.txt was produced by
 * loading rules into a scratch namespace with iptables-restore and reading them back with iptables-save).
 */
class IptablesExtensionsTest {

    /** The verdict of `-A hook OPTIONS -j ACCEPT` in a DROP-policy chain, and the packet's uncertainties. */
    record Result(boolean accepted, java.util.List<String> uncertain) {}

    static Result run(String table, String options, Pkt pkt, Consumer<PacketContext> setup) {
        String text = "*" + table + "\n:" + pkt.hook + " DROP [0:0]\n-A " + pkt.hook + " " + options + " -j ACCEPT\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", text);
        assertThat(rs.problems()).as("problems of " + options).isEmpty();
        PacketContext ctx = pkt.ctx();
        setup.accept(ctx);
        Verdict v = rs.evaluate(table, pkt.hook, ctx);
        return new Result(v.kind() == Verdict.Kind.ACCEPT, ctx.uncertain.stream().map(p -> p.message().english()).toList());
    }

    static boolean matches(String options, Pkt pkt) {
        Result r = run("filter", options, pkt, c -> { });
        assertThat(r.uncertain()).as("uncertain for " + options).isEmpty();
        return r.accepted();
    }

    static boolean matches(String options, Pkt pkt, Consumer<PacketContext> setup) {
        Result r = run("filter", options, pkt, setup);
        assertThat(r.uncertain()).as("uncertain for " + options).isEmpty();
        return r.accepted();
    }

    static Pkt syn() { return Pkt.tcp("10.0.0.5", "192.168.1.1", 22); }

    static Pkt ping() {
        Pkt p = Pkt.icmp("10.0.0.5", "192.168.1.1", 8, 0);
        p.packet.payload = 56;
        return p;
    }

    @Test
    void everyExtensionIptablesSavePrintsIsUnderstood() {
        IptablesRuleset rs = IptablesSaveParserTest.load("extensions-iptables-save.txt");
        assertThat(rs.problems()).isEmpty();
        assertThat(rs.ruleCount("mangle", "PREROUTING")).isEqualTo(44);
        assertThat(rs.ruleCount("filter", "FORWARD")).isEqualTo(-1);
        assertThat(rs.ruleCount("nat", "POSTROUTING")).isEqualTo(2);
    }

    @Test
    void ecnWithSeveralNegatedFlags() {
        // refused before: "! --ecn-tcp-ece ! --ecn-tcp-cwr" was read as a doubled negation
        assertThat(matches("-p tcp -m ecn ! --ecn-tcp-ece ! --ecn-tcp-cwr", syn())).isTrue();
        assertThat(matches("-p tcp -m ecn --ecn-tcp-cwr", syn())).isFalse();
        assertThat(matches("-p tcp -m ecn --ecn-tcp-ece", syn().flags(Packet.SYN | 0x40))).isTrue();
        assertThat(matches("-p tcp -m ecn --ecn-tcp-cwr ! --ecn-ip-ect 2", syn().flags(Packet.SYN | 0x80))).isTrue();
        assertThat(matches("-m ecn --ecn-ip-ect 0", ping())).isTrue();
        assertThat(matches("-m ecn --ecn-ip-ect 1", ping())).isFalse();
        // the old intrapositioned form still negates its own value
        assertThat(matches("-p tcp --dport ! 22", syn())).isFalse();
    }

    @Test
    void lengthIsTheIpTotalLength() {
        // a SYN with Linux's 20 bytes of options: 20 + 40; a 56-byte ping: 20 + 8 + 56
        assertThat(matches("-m length --length 60", syn())).isTrue();
        assertThat(matches("-m length --length 61:1500", syn())).isFalse();
        assertThat(matches("-m length ! --length 1500", syn())).isTrue();
        assertThat(matches("-m length --length 84", ping())).isTrue();
        assertThat(matches("-m length --length 0:83", ping())).isFalse();
    }

    @Test
    void tosAndDscpMatchesAndTargets() {
        Pkt p = syn();
        p.packet.tos = 0xb8;   // EF
        assertThat(matches("-m dscp --dscp 0x2e", p)).isTrue();
        assertThat(matches("-m dscp --dscp-class EF", p)).isTrue();
        assertThat(matches("-m dscp ! --dscp 0x2e", p)).isFalse();
        assertThat(matches("-m tos --tos 0xb8", p)).isTrue();
        assertThat(matches("-m tos --tos 0x10/0x3f", p)).isFalse();
        assertThat(matches("-m tos --tos 0x38/0x3f", p)).isTrue();
        assertThat(matches("-m tos ! --tos Minimize-Delay", syn())).isTrue();

        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", String.join("\n", "*mangle",
                "-A PREROUTING -j DSCP --set-dscp-class AF41",
                "-A PREROUTING -m dscp --dscp 0x22 -j TOS --set-tos 0x01/0x03",
                "-A PREROUTING -m tos --tos 0x89 -j TTL --ttl-dec 63",
                "-A PREROUTING -m ttl --ttl-eq 1 -j MARK --set-mark 7",
                "COMMIT", ""));
        PacketContext ctx = syn().hook(Hook.PREROUTING).ctx();
        rs.evaluate("mangle", Hook.PREROUTING, ctx);
        assertThat(ctx.packet.tos).isEqualTo(0x89);   // AF41 = 34 << 2, ECN bits then set to 01
        assertThat(ctx.packet.ttl).isEqualTo(1);
        assertThat(ctx.packet.mark).isEqualTo(7);
        assertThat(ctx.uncertain).isEmpty();
    }

    @Test
    void tosTargetForms() {
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", String.join("\n", "*mangle",
                "-A OUTPUT -j TOS --set-tos 0xf0/0xff", "-A OUTPUT -j TOS --and-tos 0x3c", "-A OUTPUT -j TOS --or-tos 0x01",
                "-A OUTPUT -j TOS --xor-tos 0x03", "-A OUTPUT -j TTL --ttl-inc 250", "COMMIT", ""));
        PacketContext ctx = syn().hook(Hook.OUTPUT).in(null).ctx();
        rs.evaluate("mangle", Hook.OUTPUT, ctx);
        assertThat(ctx.packet.tos).isEqualTo(((0xf0 & 0x3c) | 0x01) ^ 0x03);
        assertThat(ctx.packet.ttl).isEqualTo(255);
    }

    @Test
    void sctpDccpEspAhNeverMatchTheSimulatedProtocols() {
        assertThat(matches("-p sctp -m sctp --sport 1:2 --dport 3 --chunk-types any DATA,INIT", syn())).isFalse();
        assertThat(matches("-p dccp -m dccp --sport 1 ! --dport 2:3 --dccp-types REQUEST,RESPONSE --dccp-option 2", syn())).isFalse();
        assertThat(matches("-p esp -m esp --espspi 100:200", syn())).isFalse();
        assertThat(matches("-p ah -m ah ! --ahspi 5", syn())).isFalse();
        Pkt esp = syn();
        esp.packet.proto = 50;
        Result r = run("filter", "-p esp -m esp --espspi 100:200", esp, c -> { });
        assertThat(r.accepted()).isFalse();
        assertThat(r.uncertain()).singleElement().asString().contains("esp headers");
    }

    @Test
    void physdevSeesTheBridgePortsBrNetfilterRecorded() {
        Pkt fwd = syn().hook(Hook.FORWARD).in("br0").out("br0");
        Consumer<PacketContext> bridged = c -> { c.bridgeInfo = true; c.physIn = "veth1"; c.physOut = "veth2"; };
        assertThat(matches("-m physdev --physdev-in veth1 --physdev-out veth+ --physdev-is-bridged", fwd, bridged)).isTrue();
        assertThat(matches("-m physdev --physdev-in veth2", fwd, bridged)).isFalse();
        assertThat(matches("-m physdev ! --physdev-in eth0", fwd, bridged)).isTrue();
        assertThat(matches("-m physdev ! --physdev-is-in ! --physdev-is-out", fwd, bridged)).isFalse();
        // not bridged: only options that are all negated hold
        assertThat(matches("-m physdev --physdev-is-bridged", fwd)).isFalse();
        assertThat(matches("-m physdev ! --physdev-is-in ! --physdev-is-out", fwd)).isTrue();
        assertThat(matches("-m physdev ! --physdev-in eth0", fwd)).isTrue();
        // routed in through a bridge port: an in port, no out port, not "bridged"
        Consumer<PacketContext> routed = c -> { c.bridgeInfo = true; c.physIn = "veth1"; };
        assertThat(matches("-m physdev --physdev-is-bridged", fwd, routed)).isFalse();
        assertThat(matches("-m physdev --physdev-is-in ! --physdev-is-out", fwd, routed)).isTrue();
        // an out name is not compared while there is no out port (physdev_mt)
        assertThat(matches("-m physdev --physdev-out veth9", fwd, routed)).isTrue();
        // the topology named the bridge, not the port: unknown
        Result r = run("filter", "-m physdev --physdev-in veth1", fwd,
                c -> { c.bridgeInfo = true; c.physIn = PacketContext.PORT_UNKNOWN; c.physOut = PacketContext.PORT_UNKNOWN; });
        assertThat(r.accepted()).isFalse();
        assertThat(r.uncertain()).singleElement().asString().contains("name the bridge's ports");
    }

    @Test
    void ownerOnlyForPacketsThisHostSends() {
        Pkt fwd = syn().hook(Hook.FORWARD).out("eth1");
        assertThat(matches("-m owner --uid-owner 1000", fwd)).isFalse();
        assertThat(matches("-m owner ! --uid-owner 1000", fwd)).isTrue();
        Pkt local = syn().hook(Hook.OUTPUT).in(null).out("eth0");
        assertThat(matches("-m owner --socket-exists", local)).isTrue();
        assertThat(matches("-m owner ! --socket-exists", local)).isFalse();
        // the kernel's own packets (an ICMP error, a reset) have no socket
        assertThat(matches("-m owner --socket-exists", local, c -> c.fromSocket = false)).isFalse();
        Result r = run("filter", "-m owner --uid-owner 1000", local, c -> { });
        assertThat(r.accepted()).isFalse();
        assertThat(r.uncertain()).singleElement().asString().contains("user and group of the program");
    }

    @Test
    void conntrackReplyTupleAndPorts() {
        // a DNATed connection: original 10.0.0.5:40000 -> 192.168.1.1:22, reply from 172.16.0.9:2222
        Consumer<PacketContext> nat = c -> {
            c.ctOrigSport = 40000; c.ctOrigDport = 22;
            c.ctReplSrc = Ip.parse("172.16.0.9"); c.ctReplDst = Ip.parse("10.0.0.5");
            c.ctReplSport = 2222; c.ctReplDport = 40000;
        };
        Pkt p = syn().hook(Hook.FORWARD);
        assertThat(matches("-m conntrack --ctreplsrc 172.16.0.0/16 --ctrepldst 10.0.0.5 --ctorigdstport 22", p, nat)).isTrue();
        assertThat(matches("-m conntrack ! --ctreplsrc 172.16.0.0/16", p, nat)).isFalse();
        assertThat(matches("-m conntrack --ctorigsrcport 1:1024", p, nat)).isFalse();
        assertThat(matches("-m conntrack --ctreplsrcport 2000:3000 --ctrepldstport 40000", p, nat)).isTrue();
        Result r = run("filter", "-m conntrack --ctexpire 10:100", p, nat);
        assertThat(r.accepted()).isFalse();
        assertThat(r.uncertain()).singleElement().asString().contains("expires");
    }

    @Test
    void rateAndHistoryMatchesTakeAQuietFlowAndSaySo() {
        Result limit = run("filter", "-m limit --limit 3/hour", syn(), c -> { });
        assertThat(limit.accepted()).isTrue();
        assertThat(limit.uncertain()).singleElement().asString().startsWith("-m limit --limit 3/hour: depends on the rate")
                .contains("taken to hold");
        Result above = run("filter", "-m hashlimit --hashlimit-above 100/min --hashlimit-burst 5 --hashlimit-name bar", syn(), c -> { });
        assertThat(above.accepted()).isFalse();
        assertThat(above.uncertain()).singleElement().asString().contains("taken not to hold");
        assertThat(run("filter", "-p tcp -m connlimit --connlimit-upto 3 --connlimit-mask 32 --connlimit-daddr", syn(), c -> { }).accepted()).isTrue();
        assertThat(run("filter", "-p tcp -m connlimit --connlimit-above 10 --connlimit-mask 32 --connlimit-saddr", syn(), c -> { }).accepted()).isFalse();
        assertThat(run("filter", "-p tcp -m connlimit --connlimit-above 0 --connlimit-mask 32 --connlimit-saddr", syn(), c -> { }).accepted()).isTrue();
        Result update = run("filter", "-m recent --update --seconds 60 --hitcount 4 --rttl --name SSH --mask 255.255.255.255 --rsource", syn(), c -> { });
        assertThat(update.accepted()).isFalse();
        assertThat(update.uncertain()).singleElement().asString().contains("the packets seen before this one");
        // --set always holds and decides nothing by itself
        assertThat(matches("-m recent --set --name SSH --mask 255.255.255.255 --rsource", syn())).isTrue();
        assertThat(run("filter", "-m recent ! --rcheck --seconds 60 --name X --mask 255.255.255.0 --rdest", syn(), c -> { }).accepted()).isTrue();
        // for the connection's first packet: one packet, 60 bytes
        assertThat(run("filter", "-m connbytes --connbytes 10:1000 --connbytes-mode bytes --connbytes-dir both", syn(), c -> { }).accepted()).isTrue();
        assertThat(run("filter", "-m connbytes ! --connbytes 10 --connbytes-mode packets --connbytes-dir original", syn(), c -> { }).accepted()).isTrue();
        assertThat(run("filter", "-m connbytes --connbytes 2: --connbytes-mode packets --connbytes-dir original", syn(), c -> { }).accepted()).isFalse();
    }

    @Test
    void aRateLimitOnALogRuleChangesNothing() {
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", "*filter\n-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG\nCOMMIT\n");
        PacketContext ctx = syn().ctx();
        rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(ctx.uncertain).isEmpty();
    }

    @Test
    void payloadAndSocketsAreUnknown() {
        Result s = run("filter", "-m string --string \"GET /\" --algo bm --from 10 --to 100", syn(), c -> { });
        assertThat(s.accepted()).isFalse();
        assertThat(s.uncertain()).singleElement().asString().contains("-m string --string \"GET /\"");
        Result sock = run("mangle", "-m socket --transparent --nowildcard", syn().hook(Hook.PREROUTING), c -> { });
        assertThat(sock.accepted()).isFalse();
        assertThat(sock.uncertain()).hasSize(1);
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", "*mangle\n:PREROUTING DROP [0:0]\n"
                + "-A PREROUTING -p tcp -j TPROXY --on-port 8080 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1\nCOMMIT\n");
        PacketContext ctx = syn().hook(Hook.PREROUTING).ctx();
        rs.evaluate("mangle", Hook.PREROUTING, ctx);
        assertThat(ctx.uncertain).singleElement().extracting(p -> p.message().english()).asString().contains("transparent socket");
    }

    @Test
    void natPortShiftAndNetmap() {
        IptablesRuleset rs = IptablesSaveParserTest.load("extensions-iptables-save.txt");
        PacketContext ctx = Pkt.tcp("8.8.8.8", "10.0.0.1", 1500).hook(Hook.PREROUTING).ctx();
        Verdict v = rs.evaluate("nat", Hook.PREROUTING, ctx);
        assertThat(v.nat()).isEqualTo(new NatAction(NatAction.Type.DNAT, Ip.parse("1.1.1.1"), Ip.parse("1.1.1.1"), 3000, 4000, 1000, -1));
        assertThat(v.nat().toString()).isEqualTo("DNAT 1.1.1.1:3000-4000/1000");
        PacketContext to = Pkt.tcp("8.8.8.8", "10.9.0.77", 80).hook(Hook.PREROUTING).ctx();
        Verdict netmap = rs.evaluate("nat", Hook.PREROUTING, to);
        assertThat(netmap.nat().netmapLen()).isEqualTo(24);
        assertThat(netmap.nat().addrFrom()).isEqualTo(Ip.parse("192.168.9.0"));
        assertThat(netmap.nat().toString()).isEqualTo("NETMAP destination 192.168.9.0/24");
    }

    static final String IPSETS = String.join("\n",
            "create blocked hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x76dc41ab",
            "add blocked 10.0.0.5",
            "create pairs hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x786eade6",
            "add pairs 10.0.0.6,tcp:22",
            "add pairs 192.168.1.1,udp:53",
            "create nets hash:net family inet hashsize 1024 maxelem 65536",
            "add nets 10.0.0.0/8",
            "add nets 10.0.0.0/24 nomatch",
            "create all list:set size 8",
            "add all pairs",
            "add all blocked",
            "");

    static boolean inSet(String options, Pkt pkt) {
        String text = "*filter\n:" + pkt.hook + " DROP [0:0]\n-A " + pkt.hook + " " + options + " -j ACCEPT\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("t", text);
        rs.useSets(IpSets.parse("h/ipset.txt", IPSETS));
        PacketContext ctx = pkt.ctx();
        boolean accepted = rs.evaluate("filter", pkt.hook, ctx).kind() == Verdict.Kind.ACCEPT;
        assertThat(ctx.uncertain).isEmpty();
        return accepted;
    }

    @Test
    void ipsetMembersFromIpsetSave() {
        assertThat(inSet("-m set --match-set blocked src", syn())).isTrue();
        assertThat(inSet("-m set --match-set blocked dst", syn())).isFalse();
        assertThat(inSet("-m set ! --match-set blocked src", syn())).isFalse();
        assertThat(inSet("-m set --match-set pairs dst,dst", Pkt.udp("10.0.0.5", "192.168.1.1", 53))).isTrue();
        assertThat(inSet("-m set --match-set pairs dst,dst", syn().sport(53))).isFalse();
        assertThat(inSet("-m set --match-set pairs src,dst", Pkt.tcp("10.0.0.6", "1.1.1.1", 22))).isTrue();
        // a nomatch element is the exception: the most specific prefix wins; --return-nomatch turns it round
        assertThat(inSet("-m set --match-set nets src", Pkt.tcp("10.1.0.5", "1.1.1.1", 22))).isTrue();
        assertThat(inSet("-m set --match-set nets src", syn())).isFalse();
        assertThat(inSet("-m set --match-set nets src --return-nomatch", syn())).isTrue();
        assertThat(inSet("-m set --match-set all src,dst", Pkt.tcp("10.0.0.6", "1.1.1.1", 22))).isTrue();
        assertThat(inSet("-m set --match-set all src,dst", syn())).isTrue();
        assertThat(inSet("-m set --match-set all dst,dst", syn())).isFalse();
    }

    @Test
    void ipsetWithoutIpsetSaveIsUncertain() {
        Result r = run("filter", "-m set --match-set blocked src", syn(), c -> { });
        assertThat(r.accepted()).isFalse();
        assertThat(r.uncertain()).singleElement().asString().contains("ipset.txt was not collected");
    }
}
