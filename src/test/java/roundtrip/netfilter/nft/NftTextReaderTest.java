package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Pkt;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nft text as users write and nft prints it: the forms the truth corpus does not all show, errors, and quoting. */
class NftTextReaderTest {
    private static NftTextReader.Document read(String text) {
        return NftTextReader.read("nftables.conf", text, n -> n);
    }

    private static String oneLine(Runnable r) {
        try {
            r.run();
        } catch (InputException e) {
            return e.oneLine();
        }
        throw new AssertionError("no InputException");
    }

    private static List<JsonNode> rules(NftTextReader.Document d) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode item : d.items()) if (item.has("rule")) out.add(item.get("rule"));
        return out;
    }

    private static Verdict run(NftRuleset rs, Hook hook, PacketContext ctx) {
        Verdict last = Verdict.accept(hook.name());
        for (BaseChain c : rs.chains(hook)) {
            last = c.evaluate(ctx);
            if (!last.passes()) return last;
        }
        return last;
    }

    @Test
    void wordsAreTokensAsNftsScannerMakesThem() {
        NftTextReader.Document d = read("""
                table inet t {
                	chain c {
                		type filter hook input priority filter + 10; policy drop;
                		iifname br-lan ip saddr 10.0.0.0/8 tcp dport 22 accept
                		ip6 saddr [2001:DB8::1] accept
                		iifname "wg*" accept
                		ether type 8021q drop
                		ct expiration 30000ms drop
                		ip saddr 10.1.0.1 \\
                			tcp dport { 80, 443 } accept   # a comment
                	}
                }
                """);
        assertThat(d.origins().ruleProblems).isEmpty();
        List<JsonNode> r = rules(d);
        assertThat(r).hasSize(6);
        assertThat(r.get(0).get("expr").get(0).toString()).isEqualTo("{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"br-lan\"}}");
        assertThat(r.get(1).get("expr").get(0).path("match").path("right").asText()).isEqualTo("2001:db8::1");
        assertThat(r.get(2).get("expr").get(0).path("match").path("right").asText()).isEqualTo("wg*");
        assertThat(r.get(3).get("expr").get(0).path("match").path("right").asText()).isEqualTo("8021q");
        assertThat(r.get(4).get("expr").get(0).path("match").path("right").asLong()).isEqualTo(30);
        // a rule continued on the next line is one rule, quoted as written, at the line it starts on
        Source s = d.origins().source(r.get(5));
        assertThat(s).isEqualTo(new Source("nftables.conf", 9, "ip saddr 10.1.0.1 tcp dport { 80, 443 } accept"));
        JsonNode chain = d.items().get(1).get("chain");
        assertThat(chain.path("prio").asInt()).isEqualTo(10);
        assertThat(chain.path("policy").asText()).isEqualTo("drop");
    }

    @Test
    void standardPrioritiesAreThoseOfTheFamily() {
        NftTextReader.Document d = read("""
                table ip a { chain c { type nat hook prerouting priority dstnat - 5; } }
                table bridge b { chain c { type filter hook forward priority filter; } }
                table ip c { chain c { type filter hook forward priority -300; policy accept; } }
                """);
        List<Integer> prios = new ArrayList<>();
        for (JsonNode item : d.items()) if (item.has("chain")) prios.add(item.get("chain").path("prio").asInt());
        assertThat(prios).containsExactly(-105, -200, -300);
    }

    @Test
    void variablesAreReplacedWhereTheyAreDefinedAndScoped() {
        String text = """
                define LAN = { 192.168.1.0/24, 192.168.2.0/24 }
                define SSH = 22
                table ip t {
                	define SSH = 2222
                	chain c {
                		ip saddr $LAN tcp dport $SSH accept
                	}
                }
                table ip u {
                	chain c {
                		tcp dport $SSH accept
                	}
                }
                """;
        List<JsonNode> r = rules(read(text));
        assertThat(r.get(0).get("expr").get(0).path("match").path("right").path("set")).hasSize(2);
        assertThat(r.get(0).get("expr").get(1).path("match").path("right").asInt()).isEqualTo(2222);
        assertThat(r.get(1).get("expr").get(0).path("match").path("right").asInt()).isEqualTo(22);
        // an unknown variable makes nft refuse the whole file: so do we, naming the line
        String broken = text.replace("\t\ttcp dport $SSH accept\n", "\t\ttcp dport $SSH accept\n\t\ttcp dport $NOPE accept\n");
        assertThatThrownBy(() -> read(broken)).isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).oneLine()).isEqualTo(
                        "nftables.conf:12: unknown variable $NOPE (nft -f refuses the whole file too)"));
    }

    @Test
    void commandsApplyInOrder() {
        NftTextReader.Document d = read("""
                flush ruleset
                add table inet f
                add chain inet f input { type filter hook input priority 0; policy drop; }
                add rule inet f input tcp dport 22 accept
                add rule inet f input udp dport 53 accept
                insert rule inet f input ct state established,related accept
                add set inet f blocked { type ipv4_addr; flags interval; }
                add element inet f blocked { 10.0.0.0/8, 192.0.2.1 }
                add rule inet f input ip saddr @blocked drop
                add table ip gone
                delete table ip gone
                flush chain inet f input
                add rule inet f input tcp dport 443 accept
                """);
        assertThat(d.items().toString()).doesNotContain("\"gone\"");
        List<JsonNode> r = rules(d);
        assertThat(r).hasSize(1);
        assertThat(d.origins().source(r.get(0))).isEqualTo(new Source("nftables.conf", 13, "add rule inet f input tcp dport 443 accept"));
        JsonNode set = d.items().get(1).get("set");
        assertThat(set.path("elem")).hasSize(2);
    }

    @Test
    void insertAndAddFollowHandlesNftAListed() {
        NftTextReader.Document d = read("""
                table ip t { # handle 3
                	chain c { # handle 1
                		tcp dport 22 accept # handle 4
                		tcp dport 80 accept # handle 5
                	}
                }
                add rule ip t c position 4 tcp dport 23 drop
                insert rule ip t c position 5 tcp dport 24 drop
                """);
        List<Integer> ports = new ArrayList<>();
        for (JsonNode r : rules(d)) ports.add(r.get("expr").get(0).path("match").path("right").asInt());
        assertThat(ports).containsExactly(22, 23, 24, 80);
        NftRuleset rs = NftJsonReader.read("nftables.conf", d.items(), t -> false, d.origins());
        assertThat(rs.rules()).extracting(NftRuleset.RuleInfo::handle).containsExactly(4, 0, 0, 5);
    }

    @Test
    void anIncludeIsReportedAndMakesEveryVerdictUncertain() {
        NftRuleset rs = NftTextReader.parse("nftables.conf", """
                #!/usr/sbin/nft -f
                include "/etc/nftables.d/*.nft"
                table inet f { chain input { type filter hook input priority 0; policy accept; } }
                """);
        assertThat(rs.problems()).extracting(Problem::toString).containsExactly("nftables.conf:2: include not followed: the rules "
                + "of /etc/nftables.d/*.nft are not in the input (collect or paste them too); every verdict through this host is "
                + "uncertain: include \"/etc/nftables.d/*.nft\"");
        for (Hook h : Hook.values()) {
            PacketContext ctx = Pkt.tcp("10.0.0.1", "10.0.0.2", 22).hook(h).ctx();
            run(rs, h, ctx);
            assertThat(ctx.uncertain).as(h.name()).containsExactlyElementsOf(rs.problems());
        }
    }

    @Test
    void aRuleNotUnderstoodKeepsItsMatchesAndItsLine() {
        NftRuleset rs = NftTextReader.parse("nftables.conf", """
                table ip t {
                	chain c {
                		type filter hook forward priority 0; policy accept;
                		ip saddr 10.0.0.1 frobnicate 3 drop
                		tcp dport 22 drop comment "no ssh"
                	}
                }
                """);
        assertThat(rs.problems()).hasSize(1);
        Problem p = rs.problems().get(0);
        assertThat(p.source()).isEqualTo(new Source("nftables.conf", 4, "ip saddr 10.0.0.1 frobnicate 3 drop"));
        assertThat(p.message().english()).startsWith("not understood (not understood: \"frobnicate\")");
        PacketContext from = Pkt.udp("10.0.0.1", "10.0.0.2", 53).hook(Hook.FORWARD).ctx();
        assertThat(run(rs, Hook.FORWARD, from).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(from.uncertain).containsExactly(p);
        PacketContext other = Pkt.tcp("10.0.0.9", "10.0.0.2", 22).hook(Hook.FORWARD).ctx();
        Verdict v = run(rs, Hook.FORWARD, other);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(v.decidedBy()).isEqualTo(new Source("nftables.conf", 5, "tcp dport 22 drop comment \"no ssh\""));
        assertThat(other.uncertain).isEmpty();
    }

    @Test
    void aBrokenStructureNamesTheFileAndLine() {
        assertThat(oneLine(() -> read("table inet f {\n\tchain c {\n\t\ttcp dport 22 accept\n"))).startsWith("nftables.conf:4: ");
        assertThat(oneLine(() -> read("table inet f {\n\tchain c {\n\t\tlog prefix \"unclosed\n}\n}\n")))
                .startsWith("nftables.conf:3: ").contains("not closed");
        assertThat(oneLine(() -> NftTextReader.read("net.yaml", "add rule ip nope c accept\n", n -> n + 40)))
                .startsWith("net.yaml:41: ").contains("table ip nope is not declared before");
    }

    @Test
    void tablesOfEveryFamilyAreReadAndOnlyIpOnesEvaluated() {
        NftTextReader.Document d = read("""
                table ip6 v6 { chain c { type filter hook input priority 0; ip6 saddr ::1 drop; } }
                table bridge br { chain c { type filter hook forward priority 0; ether type arp accept; } }
                table netdev nd { chain c { type filter hook ingress device lo priority 0; drop; } }
                table arp a { chain c { type filter hook input priority 0; arp operation request accept; } }
                table inet dormant { flags dormant; chain c { type filter hook input priority 0; drop; } }
                """);
        assertThat(d.origins().ruleProblems).isEmpty();
        assertThat(rules(d)).hasSize(5);
        NftRuleset rs = NftJsonReader.read("nftables.conf", d.items(), t -> false, d.origins());
        assertThat(rs.tableNames()).containsExactly("ip6 v6");
        assertThat(rs.problems()).hasSize(3).extracting((p -> p.message().english())).allMatch(m -> m.contains("is not simulated"));
    }

    @Test
    void setsAndMapsTypeTheirElements() {
        NftTextReader.Document d = read("""
                table inet t {
                	set svc { type inet_proto . inet_service; elements = { tcp . ssh, udp . domain } }
                	map nat { typeof tcp dport : ip daddr . tcp dport; elements = { 8080 : 10.0.0.2 . 80 } }
                	map jumps { type ifname : verdict; elements = { "lan" : jump from_lan, * : drop } }
                	chain from_lan { accept; }
                }
                """);
        assertThat(d.origins().problems).isEmpty();
        assertThat(d.items().get(1).get("set").path("elem").toString()).isEqualTo("[{\"concat\":[\"tcp\",22]},{\"concat\":[\"udp\",53]}]");
        assertThat(d.items().get(2).get("map").path("elem").toString()).isEqualTo("[[8080,{\"concat\":[\"10.0.0.2\",80]}]]");
        assertThat(d.items().get(3).get("map").path("elem").toString())
                .isEqualTo("[[\"lan\",{\"jump\":{\"target\":\"from_lan\"}}],[\"*\",{\"drop\":null}]]");
    }
}
