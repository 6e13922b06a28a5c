package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import roundtrip.model.InputException;
import roundtrip.model.Problem;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.Verdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IptablesSaveParserTest {

    static String resource(String name) {
        try (InputStream in = IptablesSaveParserTest.class.getResourceAsStream("/iptables/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static IptablesRuleset load(String name) {
        return IptablesSaveParser.parseRuleset(name, resource(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-nft.txt", "docker-legacy.txt", "openwrt-nft.txt", "openwrt-legacy.txt",
            "vpn-connmark-counters.txt", "kitchen-sink-nft.txt", "kitchen-sink-legacy.txt"})
    void realIptablesSaveOutputLoads(String name) {
        IptablesRuleset rs = load(name);
        assertThat(rs.size()).isPositive();
        // everything in these files is understood; only addrtype --limit-iface-in is noted as approximated
        assertThat(rs.problems()).allSatisfy(p -> assertThat(p.message().english()).startsWith("approximated"));
    }

    @Test
    void dockerChainsPoliciesAndCounts() {
        IptablesRuleset rs = load("docker-nft.txt");
        assertThat(rs.tableNames()).containsExactlyInAnyOrder("nat", "filter");
        assertThat(rs.chainNames("filter")).containsExactly("INPUT", "FORWARD", "OUTPUT", "DOCKER",
                "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER");
        assertThat(rs.policy("filter", "FORWARD")).isEqualTo(Verdict.Kind.DROP);
        assertThat(rs.policy("filter", "INPUT")).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(rs.policy("filter", "DOCKER")).isNull();
        assertThat(rs.ruleCount("filter", "FORWARD")).isEqualTo(10);
        assertThat(rs.ruleCount("nat", "DOCKER")).isEqualTo(3);
        assertThat(rs.matters("filter", Hook.FORWARD)).isTrue();
        assertThat(rs.matters("filter", Hook.INPUT)).isFalse();   // no rules, ACCEPT policy
        assertThat(rs.matters("nat", Hook.PREROUTING)).isTrue();
        assertThat(rs.matters("nat", Hook.INPUT)).isFalse();
        assertThat(rs.matters("mangle", Hook.PREROUTING)).isFalse(); // table absent
        assertThat(rs.matters("filter", Hook.PREROUTING)).isFalse(); // no such built-in chain
        assertThat(rs).hasToString("IptablesRuleset[filter: 18 rules, nat: 8 rules]");
    }

    @Test
    void legacyAndNftOutputsGiveTheSameRuleset() {
        for (String base : new String[] {"docker", "openwrt", "kitchen-sink"}) {
            IptablesRuleset nft = load(base + "-nft.txt");
            IptablesRuleset legacy = load(base + "-legacy.txt");
            assertThat(legacy.size()).as(base).isEqualTo(nft.size());
            for (String table : nft.tableNames()) {
                assertThat(legacy.chainNames(table)).as(base + " " + table).containsExactlyInAnyOrderElementsOf(nft.chainNames(table));
            }
        }
    }

    @Test
    void openwrtHasEveryZoneChain() {
        IptablesRuleset rs = load("openwrt-nft.txt");
        assertThat(rs.tableNames()).containsExactlyInAnyOrder("nat", "mangle", "filter");
        assertThat(rs.chainNames("filter")).contains("zone_wan_input", "zone_lan_forward", "reject", "syn_flood");
        assertThat(rs.ruleCount("filter", "zone_wan_input")).isEqualTo(6);
    }

    @Test
    void sourceKeepsFileLineAndExactText() {
        String text = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT   \nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("h/iptables-save.txt", text);
        var ctx = Pkt.tcp("1.1.1.1", "2.2.2.2", 22).ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.decidedBy().file()).isEqualTo("h/iptables-save.txt");
        assertThat(v.decidedBy().line()).isEqualTo(3);
        assertThat(v.decidedBy().text()).isEqualTo("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT   ");
    }

    @Test
    void commaListsExpandIntoOneRulePerAddressPair() {
        String text = "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.1,10.0.0.2 -d 192.168.0.0/24,1.2.3.4 -j ACCEPT\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", text);
        assertThat(rs.ruleCount("filter", "INPUT")).isEqualTo(4);
    }

    @Test
    void crlfAndCountersAndCommentsAreAccepted() {
        String text = "# Generated by iptables-save v1.8.7 on Mon\r\n*filter\r\n:INPUT ACCEPT [10:600]\r\n"
                + "[5:300] -A INPUT -j DROP\r\nCOMMIT\r\n# Completed\r\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", text);
        assertThat(rs.ruleCount("filter", "INPUT")).isEqualTo(1);
    }

    @Test
    void builtinChainNeedsNoDeclaration() {
        // the hand-written form in a network file
        String text = "*nat\n-A POSTROUTING -s 10.1.1.0/24 -d 192.168.78.0/24 -o lan1 -j SNAT --to-source 192.168.78.1\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", text);
        assertThat(rs.ruleCount("nat", "POSTROUTING")).isEqualTo(1);
        assertThat(rs.policy("nat", "POSTROUTING")).isEqualTo(Verdict.Kind.ACCEPT);
    }

    @Test
    void restoreCommandsNewChainPolicyInsertFlush() {
        String text = String.join("\n", "*filter", "-N web", "-P INPUT DROP", "-A INPUT -j web",
                "-A web -p tcp --dport 80 -j ACCEPT", "-I web -p tcp --dport 443 -j ACCEPT",
                "-I web 2 -p tcp --dport 8443 -j ACCEPT", "-A OUTPUT -j DROP", "-F OUTPUT", "COMMIT", "");
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", text);
        assertThat(rs.policy("filter", "INPUT")).isEqualTo(Verdict.Kind.DROP);
        assertThat(rs.ruleCount("filter", "web")).isEqualTo(3);
        assertThat(rs.ruleCount("filter", "OUTPUT")).isZero();
        var ctx = Pkt.tcp("1.1.1.1", "2.2.2.2", 8443).ctx();
        Verdict v = rs.evaluate("filter", Hook.INPUT, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().line()).isEqualTo(7);
    }

    @Test
    void securityTableParsesAndEvaluates() {
        String text = "*security\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j SECMARK --selctx system_u:object_r:x:s0\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", text);
        assertThat(rs.problems()).extracting((p -> p.message().english())).containsExactly("unknown target -j SECMARK");
        assertThat(rs.matters("security", Hook.INPUT)).isTrue();
    }

    @Test
    void unknownSyntaxBecomesProblemsNotErrors() {
        String text = String.join("\n", "*filter", ":INPUT ACCEPT [0:0]",
                "-A INPUT -m u32 --u32 0>>22&0x3C@0>>16=0x16 -j DROP",
                "-A INPUT -p tcp -m tcp --tcp-option 2 -j ACCEPT",
                "-A INPUT -m conntrack --ctexpire 10:20 --ctfoo -j ACCEPT",
                "-A INPUT -j CONNMARK --left-shift-mark 8 --save-mark",
                "-A INPUT -m physdev --physdev-in veth0 -j ACCEPT",
                "-A INPUT -m cgroup --path user.slice -j DROP",
                "-A INPUT -j SET --add-set seen src",
                "COMMIT", "");
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f.txt", text);
        assertThat(rs.problems()).extracting((p -> p.message().english())).containsExactly(
                "unknown match -m u32",
                "unknown option --tcp-option for -m tcp",
                "unknown option --ctfoo for -m conntrack",
                "unknown option --left-shift-mark for -j CONNMARK",
                "unknown match -m cgroup",
                "unknown target -j SET");
        assertThat(rs.problems()).extracting(p -> p.source().line()).containsExactly(3, 4, 5, 6, 8, 9);
        assertThat(rs.problems().get(0).toString()).isEqualTo(
                "f.txt:3: unknown match -m u32: -A INPUT -m u32 --u32 0>>22&0x3C@0>>16=0x16 -j DROP");
        // all rules stay in the chain
        assertThat(rs.ruleCount("filter", "INPUT")).isEqualTo(7);
    }

    @Test
    void limitIfaceIsAcceptedAndNoted() {
        String text = "*nat\n-A PREROUTING -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN\nCOMMIT\n";
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", text);
        assertThat(rs.problems()).singleElement().satisfies(p -> assertThat(p.message().english())
                .startsWith("approximated: addrtype --limit-iface-in"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // text (\n as ¶) | line | message fragment
        "-A INPUT -j ACCEPT¶COMMIT | 1 | rule before any *table",
        "*filter¶-A INPUT -j ACCEPT | 1 | table filter has no COMMIT",
        "*filter¶-A INPUT -j ACCEPT¶*nat¶COMMIT | 3 | COMMIT missing for table filter",
        "*filter¶-A NOPE -j ACCEPT¶COMMIT | 2 | chain NOPE is not declared",
        "*nat¶-A FORWARD -j ACCEPT¶COMMIT | 2 | chain FORWARD is not declared in table nat",
        "*filter¶this is garbage¶COMMIT | 2 | not an iptables-save line",
        "*filter¶-A INPUT -s 10.0.0.256 -j ACCEPT¶COMMIT | 2 | bad address 10.0.0.256",
        "*filter¶-A INPUT -s example.com -j ACCEPT¶COMMIT | 2 | bad address",
        "*filter¶-A INPUT -d 10.0.0.0/33 -j ACCEPT¶COMMIT | 2 | bad address",
        "*filter¶-A INPUT ! -s 1.1.1.1,2.2.2.2 -j ACCEPT¶COMMIT | 2 | ! not allowed with multiple",
        "*filter¶-A INPUT -p tcp --dport 99999 -j ACCEPT¶COMMIT | 2 | invalid port",
        "*filter¶-A INPUT -p foo -j ACCEPT¶COMMIT | 2 | unknown protocol",
        "*filter¶-A INPUT ! ! -p tcp -j ACCEPT¶COMMIT | 2 | multiple ! flags",
        "*filter¶-A INPUT -m conntrack --ctstate BOGUS -j ACCEPT¶COMMIT | 2 | bad ctstate",
        "*filter¶-A INPUT -j REJECT --reject-with icmp-bogus¶COMMIT | 2 | unknown reject type",
        "*filter¶-A INPUT -j DNAT --to-destination 1.2.3.4¶COMMIT | 2 | DNAT is only valid in the nat table",
        "*filter¶-A INPUT -j MASQUERADE¶COMMIT | 2 | MASQUERADE is only valid in the nat table",
        "*filter¶:INPUT BOGUS [0:0]¶COMMIT | 2 | bad policy",
        "*filter¶:mine ACCEPT [0:0]¶COMMIT | 2 | cannot have a policy",
        "*filter¶:a - [0:0]¶:b - [0:0]¶-A a -j b¶-A b -j a¶COMMIT | 5 | chains form a loop",
        "*filter¶:a - [0:0]¶-A a -g a¶COMMIT | 3 | chains form a loop",
        "*filter¶-A INPUT -j INPUT¶COMMIT | 2 | cannot jump to built-in chain",
        "*filter¶-A INPUT -g nowhere¶COMMIT | 2 | goto needs a user chain",
        "*bogus¶COMMIT | 1 | unknown table",
        "COMMIT | 1 | COMMIT outside a table",
        "*filter¶-A INPUT -m comment --comment \"unterminated¶COMMIT | 2 | unterminated quote",
        "*filter¶-A INPUT -p tcp --dport¶COMMIT | 2 | needs a value",
        "*filter¶-A INPUT -j MARK¶COMMIT | 2 | MARK needs a mark operation",
        "*filter¶-A INPUT -j MARK --set-xmark 0xzz¶COMMIT | 2 | bad mark",
        "*filter¶-A INPUT ! -p all -j DROP¶COMMIT | 2 | never match protocol",
        "*filter¶-D INPUT 1¶COMMIT | 2 | unsupported command -D",
        "*filter¶:x - [0:0]¶:x - [0:0]¶COMMIT | 3 | declared twice",
        "*filter¶-A INPUT -j ACCEPT -j DROP¶COMMIT | 2 | more than one target",
    })
    void malformedInputThrowsWithLine(String text, int line, String message) {
        String input = text.replace("¶", "\n") + "\n";
        assertThatThrownBy(() -> IptablesSaveParser.parse("bad.txt", input))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.file()).isEqualTo("bad.txt");
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.oneLine()).startsWith("bad.txt:" + line + ": ").doesNotContain("\n");
                });
    }

    @Test
    void emptyInputIsAnEmptyRuleset() {
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("f", "");
        assertThat(rs.size()).isZero();
        var ctx = Pkt.tcp("1.1.1.1", "2.2.2.2", 22).ctx();
        assertThat(rs.evaluate("filter", Hook.INPUT, ctx)).isEqualTo(Verdict.accept("INPUT"));
        assertThat(ctx.trace).isEmpty();
    }

    /** The counters test agrees with the pattern it replaced, \\[\\d+:\\d+], on near misses of every kind. */
    @ParameterizedTest
    @ValueSource(strings = {"[0:0]", "[12:3456]", "[0:]", "[:0]", "[:]", "[1:2", "1:2]", "[1:2:3]", "[a:1]", "[1:b]", "[1:2]x",
            "x[1:2]", "[]", "[", "]", "", "[1 :2]", "[١:2]", "[-1:2]", "[11]"})
    void countersAsThePattern(String word) {
        assertThat(IptablesSaveParser.isCounters(word)).isEqualTo(word.matches("\\[\\d+:\\d+]"));
    }
}
