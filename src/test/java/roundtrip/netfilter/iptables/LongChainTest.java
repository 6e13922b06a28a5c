package roundtrip.netfilter.iptables;

import roundtrip.netfilter.Pkt;

import org.junit.jupiter.api.Test;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/** A 10,000-rule ruleset where nothing matches until the last rule: the walk reaches it (speed is measured by `roundtrip bench`). */
class LongChainTest {

    @Test
    void tenThousandRulesAreWalkedToTheLastOne() {
        StringBuilder text = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:svc - [0:0]\n");
        for (int i = 0; i < 5000; i++) {
            text.append("-A FORWARD -s 10.").append(i / 250).append('.').append(i % 250)
                    .append(".0/24 -i eth+ -p tcp -m tcp --dport ").append(1000 + i % 5000)
                    .append(" -m conntrack --ctstate NEW -m comment --comment \"rule ").append(i).append("\" -j svc\n");
        }
        for (int i = 0; i < 5000; i++) {
            text.append("-A svc -d 192.168.").append(i / 250).append('.').append(i % 250)
                    .append(" -p udp -m multiport --dports 53,123,500:600 -j ACCEPT\n");
        }
        text.append("-A FORWARD -p tcp --dport 22 -j ACCEPT\nCOMMIT\n");
        IptablesRuleset rs = IptablesSaveParser.parseRuleset("big", text.toString());
        assertThat(rs.size()).isEqualTo(10001);

        PacketContext ctx = Pkt.tcp("172.16.0.1", "192.168.0.1", 22).hook(Hook.FORWARD).in("eth0").out("eth1").ctx();
        Verdict v = rs.evaluate("filter", Hook.FORWARD, ctx);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().line()).isEqualTo(10005);
        PacketContext other = Pkt.tcp("172.16.0.1", "192.168.0.1", 23).hook(Hook.FORWARD).in("eth0").out("eth1").ctx();
        assertThat(rs.evaluate("filter", Hook.FORWARD, other).kind()).as("policy DROP after 10,001 misses").isEqualTo(Verdict.Kind.DROP);
    }
}
