package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Pkt;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Verdict;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IptablesPropertyTest {

    private static final List<String> WORDS = List.of("-s", "-d", "-i", "-o", "-p", "!", "-m", "-j", "-g", "-f",
            "--dport", "--sport", "--dports", "--ctstate", "--state", "--mark", "--set-xmark", "--to-destination",
            "--to-source", "--to-ports", "--icmp-type", "--tcp-flags", "--syn", "--comment", "--src-range",
            "--dst-type", "--reject-with", "--save-mark", "--restore-mark", "--nfmask", "--ctmask",
            "tcp", "udp", "icmp", "all", "gre", "multiport", "conntrack", "state", "mark", "connmark", "iprange",
            "addrtype", "comment", "limit", "recent", "ACCEPT", "DROP", "REJECT", "RETURN", "LOG", "MARK", "CONNMARK",
            "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NOTRACK", "CT", "user", "NEW,ESTABLISHED", "INVALID",
            "10.0.0.1", "10.0.0.0/8", "1.2.3.4-1.2.3.9", "300.1.1.1", "eth0", "eth+", "22", "1:1024", "99999",
            "0x1/0xff", "0x1234", "echo-request", "3/3", "SYN,ACK", "SYN", "LOCAL", "\"a b\"", "\"", "tcp-reset",
            ":80", "1.1.1.1:80-90", "1024-2048", "[1:2]", "-A", "-X", "*", ":");

    @Provide
    Arbitrary<String> ruleWords() {
        return Arbitraries.of(WORDS).list().ofMinSize(0).ofMaxSize(12).map(l -> String.join(" ", l));
    }

    @Property(tries = 3000)
    void generatedRulesEitherLoadOrFailWithInputException(@ForAll("ruleWords") String rule,
                                                          @ForAll("tables") String table) {
        String text = "*" + table + "\n:user - [0:0]\n-A " + firstChain(table) + " " + rule + "\nCOMMIT\n";
        try {
            IptablesRuleset rs = IptablesSaveParser.parseRuleset("p", text);
            // whatever loaded evaluates without throwing, for any hook
            for (Hook h : Hook.values()) {
                Verdict v = rs.evaluate(table, h, Pkt.tcp("10.0.0.1", "1.1.1.1", 22).hook(h).ctx());
                assertThat(v).isNotNull();
            }
        } catch (InputException e) {
            assertThat(e.line()).isBetween(1, 4);
            assertThat(e.oneLine()).doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> tables() { return Arbitraries.of("raw", "mangle", "nat", "filter", "security"); }

    private static String firstChain(String table) {
        return table.equals("filter") || table.equals("security") ? "INPUT" : table.equals("nat") ? "POSTROUTING" : "OUTPUT";
    }

    @Property(tries = 1000)
    void arbitraryTextOnlyEverThrowsInputException(@ForAll("lines") List<String> lines) {
        try {
            IptablesSaveParser.parse("x", String.join("\n", lines));
        } catch (InputException e) {
            assertThat(e.file()).isEqualTo("x");
        }
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("*filter", "*nat", "*raw", "COMMIT", ":INPUT DROP [0:0]", ":u - [0:0]", "# c", "",
                        "-A INPUT -j u", "-A u -j RETURN", "-A INPUT -j ACCEPT", "-A POSTROUTING -j MASQUERADE"),
                Arbitraries.strings().ofMaxLength(30));
        return line.list().ofMaxSize(10);
    }

    /** `! X` matches exactly when `X` does not, for the header matches and matches that never see a missing entry. */
    @Property(tries = 2000)
    void negationIsTheComplement(@ForAll("negatable") String option, @ForAll("packets") Pkt pkt) {
        boolean plain = IptablesMatchTest.matches(option.replace("NEG ", ""), pkt);
        boolean negated = IptablesMatchTest.matches(option.replace("NEG ", "! "), pkt);
        if (option.startsWith("-p tcp") && pkt.packet.proto != Packet.TCP) {
            // the un-negated -p tcp still has to hold, so neither form matches
            assertThat(plain).isFalse();
            assertThat(negated).isFalse();
        } else {
            assertThat(negated).isEqualTo(!plain);
        }
    }

    @Provide
    Arbitrary<String> negatable() {
        Arbitrary<String> addr = Arbitraries.of("10.0.0.0/8", "10.0.0.1", "192.168.0.0/16", "0.0.0.0/0", "172.16.0.0/12");
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 1100);
        return Arbitraries.oneOf(
                addr.map(a -> "NEG -s " + a), addr.map(a -> "NEG -d " + a),
                Arbitraries.of("eth0", "eth+", "wg0", "+").map(i -> "NEG -i " + i),
                Arbitraries.of("tcp", "udp", "icmp").map(p -> "NEG -p " + p),
                port.map(p -> "-p tcp NEG --dport " + p), port.map(p -> "-p tcp NEG --sport " + p + ":" + (p + 50)),
                Arbitraries.of("NEW", "ESTABLISHED,RELATED", "INVALID", "DNAT").map(s -> "-m conntrack NEG --ctstate " + s),
                Arbitraries.of("0x1", "0x1/0xff", "0x0").map(m -> "-m mark NEG --mark " + m),
                Arbitraries.of("10.0.0.1-10.0.0.200", "192.168.0.1-192.168.0.9").map(r -> "-m iprange NEG --dst-range " + r),
                Arbitraries.of("LOCAL", "UNICAST", "BROADCAST,MULTICAST").map(t -> "-m addrtype NEG --dst-type " + t));
    }

    @Provide
    Arbitrary<Pkt> packets() {
        Arbitrary<String> addr = Arbitraries.of("10.0.0.1", "10.0.0.77", "192.168.3.4", "172.16.9.9", "8.8.8.8");
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 1100);
        Arbitrary<Integer> proto = Arbitraries.of(Packet.TCP, Packet.UDP, Packet.ICMP);
        Arbitrary<CtState> state = Arbitraries.of(CtState.NEW, CtState.ESTABLISHED, CtState.RELATED);
        return Combinators.combine(addr, addr, port, port, proto, state, Arbitraries.of("eth0", "eth1", "wg0"),
                Arbitraries.longs().between(0, 3)).as((s, d, sp, dp, pr, st, in, mark) -> {
                    Pkt p = Pkt.tcp(s, d, dp).sport(sp).state(st).in(in).mark(mark).local("10.0.0.1");
                    if (in.equals("eth0")) p.out("eth1");
                    else if (in.equals("wg0")) p.out("wg0");
                    p.packet.proto = pr;
                    if (pr == Packet.ICMP) p.packet.icmpType = 8;
                    return p;
                });
    }

    /** A comma list behaves like the separate rules iptables expands it into. */
    @Property(tries = 500)
    void commaListIsTheUnionOfItsAddresses(@ForAll @IntRange(min = 0, max = 255) int last, @ForAll("packets") Pkt pkt) {
        String a = "10.0.0." + last, b = "192.168.3.0/24";
        boolean list = IptablesMatchTest.matches("-s " + a + "," + b, pkt);
        boolean either = IptablesMatchTest.matches("-s " + a, pkt) || IptablesMatchTest.matches("-s " + b, pkt);
        assertThat(list).isEqualTo(either);
        assertThat(String.valueOf(pkt.packet.src)).isNotEmpty();
    }

    /** The address index is only a shortcut: verdict, trace and marks equal those of a rule-by-rule walk. */
    @Property(tries = 300)
    void indexedEvaluationEqualsLinearWalk(@ForAll("bigRulesets") String text, @ForAll("packetsList") List<Pkt> probes) {
        IptablesRuleset indexed = IptablesSaveParser.parseRuleset("i", text, true);
        IptablesRuleset linear = IptablesSaveParser.parseRuleset("i", text, false);
        net.jqwik.api.statistics.Statistics.label("index").collect(indexed.indexedChains() > 0);
        for (Pkt probe : probes) {
            for (Hook hook : new Hook[] {Hook.INPUT, Hook.FORWARD}) {
                PacketContext a = probe.copy().hook(hook).ctx();
                PacketContext b = probe.copy().hook(hook).ctx();
                Verdict va = indexed.evaluate("filter", hook, a);
                Verdict vb = linear.evaluate("filter", hook, b);
                assertThat(va).isEqualTo(vb);
                assertThat(a.trace).isEqualTo(b.trace);
                assertThat(a.packet.mark).isEqualTo(b.packet.mark);
            }
        }
    }

    @Provide
    Arbitrary<List<Pkt>> packetsList() { return packets().list().ofMinSize(1).ofMaxSize(5); }

    @Provide
    Arbitrary<String> bigRulesets() {
        Arbitrary<String> addr = Arbitraries.of("10.0.0.1", "10.0.0.77", "192.168.3.4", "172.16.9.9", "8.8.8.8",
                "10.0.0.0/8", "10.0.0.0/24", "192.168.3.0/24", "0.0.0.0/0", "10.0.0.64/26", "10.0.0.0/5", "128.0.0.0/1");
        Arbitrary<String> dev = Arbitraries.of("eth0", "eth1", "wg0", "eth+", "+");
        // address, device and protocol rules mixed, as the index files each rule under one of them
        Arbitrary<String> header = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, addr.map(a -> "-s " + a)),
                net.jqwik.api.Tuple.of(4, addr.map(a -> "-d " + a)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(addr, addr).as((a, b) -> "-s " + a + " -d " + b)),
                net.jqwik.api.Tuple.of(1, addr.map(a -> "! -s " + a)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "-o eth1", "-i eth+")),
                net.jqwik.api.Tuple.of(3, Combinators.combine(dev, dev).as((i, o) -> "-i " + i + " -o " + o)),
                net.jqwik.api.Tuple.of(2, dev.map(i -> "-i " + i)),
                net.jqwik.api.Tuple.of(1, dev.map(i -> "! -i " + i)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(dev, addr).as((o, a) -> "-o " + o + " -s " + a)));
        Arbitrary<String> extra = Arbitraries.of("", "-p tcp --dport 22", "-m mark --mark 0x1", "-p udp",
                "-m conntrack --ctstate NEW", "-p tcp -m multiport --dports 1:100", "-p icmp", "! -p tcp", "-p tcp",
                "-p udp --dport 50:60", "-p tcp -m multiport --dports 22,80,443", "-p tcp ! --dport 22",
                "-p tcp -m multiport ! --dports 22,80", "-p udp -m multiport --sports 1:600", "-p tcp --dport 1000:1100",
                "-p tcp --sport 1:500", "-p udp ! --sport 7:900");
        Arbitrary<String> target = Arbitraries.of("-j ACCEPT", "-j DROP", "-j RETURN", "-j MARK --set-xmark 0x1/0x1",
                "-j MARK --xor-mark 0x2", "-j LOG", "-j a", "-j b", "-g b", "", "-j REJECT");
        Arbitrary<String> rule = Combinators.combine(header, extra, target).as((h, e, t) -> h + " " + e + " " + t);
        // up to 90 rules: chains indexed in one long (at most 64) and in arrays (more) are both walked
        Arbitrary<List<String>> chainRules = rule.list().ofMinSize(0).ofMaxSize(90);
        return Combinators.combine(chainRules, chainRules, chainRules, chainRules).as((input, fwd, a, b) -> {
            StringBuilder sb = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:a - [0:0]\n:b - [0:0]\n");
            for (String r : input) sb.append("-A INPUT ").append(r).append('\n');
            for (String r : fwd) sb.append("-A FORWARD ").append(r).append('\n');
            // a may jump to b; b jumps nowhere, so there are no loops
            for (String r : a) sb.append("-A a ").append(r.replace("-j a", "-j ACCEPT")).append('\n');
            for (String r : b) sb.append("-A b ").append(r.replace("-j a", "-j DROP").replace("-j b", "-j RETURN")
                    .replace("-g b", "-j LOG")).append('\n');
            return sb.append("COMMIT\n").toString();
        });
    }

    /**
     * The mark and iprange parts of the index are shortcuts too, also when a target changes the mark in the middle
     * of a chain (or of a chain it jumps to): verdict, trace and mark equal those of a rule-by-rule walk.
     */
    @Property(tries = 300)
    void markAndRangeIndexEqualsLinearWalk(@ForAll("markRangeRulesets") String text, @ForAll("packetsList") List<Pkt> probes) {
        IptablesRuleset indexed = IptablesSaveParser.parseRuleset("i", text, true);
        IptablesRuleset linear = IptablesSaveParser.parseRuleset("i", text, false);
        net.jqwik.api.statistics.Statistics.label("index").collect(indexed.indexedChains() > 0);
        for (Pkt probe : probes) {
            for (Hook hook : new Hook[] {Hook.INPUT, Hook.FORWARD}) {
                PacketContext a = probe.copy().hook(hook).ctx();
                PacketContext b = probe.copy().hook(hook).ctx();
                Verdict va = indexed.evaluate("filter", hook, a);
                Verdict vb = linear.evaluate("filter", hook, b);
                assertThat(va).isEqualTo(vb);
                assertThat(a.trace).isEqualTo(b.trace);
                assertThat(a.packet.mark).isEqualTo(b.packet.mark);
                assertThat(a.uncertain).isEqualTo(b.uncertain);
            }
        }
    }

    @Provide
    Arbitrary<String> markRangeRulesets() {
        Arbitrary<String> range = Arbitraries.of("10.0.0.1-10.0.0.1", "10.0.0.0-10.0.0.100", "10.0.0.78-10.0.0.200",
                "0.0.0.0-255.255.255.255", "172.16.0.0-192.168.3.4", "8.8.8.8-8.8.8.9", "192.168.3.5-255.255.255.255",
                "0.0.0.0-8.8.8.7", "10.0.0.77-10.0.0.77");
        Arbitrary<String> mark = Arbitraries.of("0x0", "0x1", "0x2", "0x3", "0x1/0x1", "0x0/0x1", "0x2/0x2", "0x2/0x3",
                "0x3/0x3", "0x0/0xff", "0x4/0x3", "0x1/0xff");
        Arbitrary<String> match = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, mark.map(m -> "-m mark --mark " + m)),
                net.jqwik.api.Tuple.of(1, mark.map(m -> "-m mark ! --mark " + m)),
                net.jqwik.api.Tuple.of(3, range.map(r -> "-m iprange --src-range " + r)),
                net.jqwik.api.Tuple.of(3, range.map(r -> "-m iprange --dst-range " + r)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(range, range).as((r, q) -> "-m iprange --src-range " + r + " --dst-range " + q)),
                net.jqwik.api.Tuple.of(1, range.map(r -> "-m iprange ! --src-range " + r)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(range, mark).as((r, m) -> "-m iprange --dst-range " + r + " -m mark --mark " + m)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "-p tcp --dport 22", "-i eth0", "-s 10.0.0.0/8", "-p udp"))
        );
        Arbitrary<String> target = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("-j MARK --set-xmark 0x1/0x3", "-j MARK --or-mark 0x2",
                        "-j MARK --set-mark 0x3", "-j MARK --and-mark 0x1", "-j MARK --xor-mark 0x1", "-j CONNMARK --restore-mark")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("-j ACCEPT", "-j DROP", "-j RETURN", "-j LOG", "")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("-j a", "-j b", "-g b")));
        Arbitrary<String> rule = Combinators.combine(match, target).as((m, t) -> m + " " + t);
        Arbitrary<List<String>> chainRules = rule.list().ofMinSize(0).ofMaxSize(60);
        return Combinators.combine(chainRules, chainRules, chainRules, chainRules).as((input, fwd, a, b) -> {
            StringBuilder sb = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:a - [0:0]\n:b - [0:0]\n");
            for (String r : input) sb.append("-A INPUT ").append(r).append('\n');
            for (String r : fwd) sb.append("-A FORWARD ").append(r).append('\n');
            for (String r : a) sb.append("-A a ").append(r.replace("-j a", "-j ACCEPT")).append('\n');
            for (String r : b) sb.append("-A b ").append(r.replace("-j a", "-j DROP").replace("-j b", "-j RETURN")
                    .replace("-g b", "-j LOG")).append('\n');
            return sb.append("COMMIT\n").toString();
        });
    }
}
