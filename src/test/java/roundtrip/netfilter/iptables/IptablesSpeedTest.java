package roundtrip.netfilter.iptables;

import org.junit.jupiter.api.Test;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/** A coarse guard against slow evaluation: 10,000 rules, most of them walked for every packet. */
class IptablesSpeedTest {

    @Test
    void tenThousandRulesEvaluateQuickly() {
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

        Pkt pkt = Pkt.tcp("172.16.0.1", "192.168.0.1", 22).hook(Hook.FORWARD).in("eth0").out("eth1");
        int n = 0;
        long start = System.nanoTime();
        long deadline = start + 300_000_000L;
        while (System.nanoTime() < deadline) {
            PacketContext ctx = pkt.ctx();
            Verdict v = rs.evaluate("filter", Hook.FORWARD, ctx);
            if (v.kind() != Verdict.Kind.ACCEPT) throw new AssertionError(v);
            n++;
        }
        double perSecond = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("iptables: %.0f evaluations/s of a 5,000-rule chain walked to its end%n", perSecond);
        // a walk of 5,000 rules should cost well under 1 ms even on a slow CI machine
        assertThat(perSecond).isGreaterThan(1000);
    }
}
