package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Probe;
import roundtrip.report.Zh;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 2 beyond NAT: an ACCEPT rule that misses the packet by one header field is named as the cause, with the
 * field, and the fix is that rule as it was meant.
 */
class WhyRuleMeantForTest {
    private static Why.Result why(String forwardRules) {
        String yaml = """
                hosts:
                  client:
                    interfaces: {eth0: 10.8.0.2/24}
                    routes: [default via 10.8.0.1]
                  vpn:
                    interfaces: {tun0: 10.8.0.1/24, eth0: 203.0.113.50/24, wg0: 10.9.0.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                    iptables: |
                      *nat
                      -A POSTROUTING -o eth0 -j MASQUERADE
                      COMMIT
                      *filter
                      :FORWARD DROP [0:0]
                      -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                """ + forwardRules.stripIndent().indent(6) + """
                      COMMIT
                  web:
                    interfaces: {eth0: 203.0.113.80/24}
                    listen: [tcp/443]
                segments:
                  vpn: [client:eth0, vpn:tun0]
                  internet: [vpn:eth0, web:eth0]
                probes:
                  - {id: web, from: client, to: 203.0.113.80, proto: tcp, dport: 443, expect: ROUND_TRIP_OK}
                """;
        NetworkFileReader.Result r = NetworkFileReader.parse("test.yaml", yaml, Path.of("."));
        List<Probe> probes = r.probes().stream().map(ProbeReader.LocatedProbe::probe).toList();
        return new Why(r.network()).explain(probes.get(0), probes);
    }

    @Test
    void anAcceptForTheOldPoolIsTheCauseAndTheFixKeepsItsPrefixLength() {
        Why.Result w = why("-A FORWARD -s 10.7.0.0/24 -i tun0 -o eth0 -j ACCEPT\n");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.FORWARD_DROP);
        assertThat(top.summary().english()).startsWith("the ACCEPT rule of vpn says -s 10.7.0.0/24, but this packet comes from 10.8.0.2: it is not accepted");
        assertThat(top.evidence().text()).isEqualTo("-A FORWARD -s 10.7.0.0/24 -i tun0 -o eth0 -j ACCEPT");
        assertThat(top.evidence().line()).isEqualTo(15);
        RankedFix first = w.fixes().get(0);
        assertThat(first.fix().id()).isEqualTo("accept-rule-as-meant");
        assertThat(first.fix().changes()).extracting(Change::command).containsExactly("iptables -I FORWARD -s 10.8.0.0/24 -i tun0 -o eth0 -j ACCEPT");
        assertThat(first.verification().fixesProbe()).isTrue();
        assertThat(Zh.text(top.summary())).startsWith("vpn 的 ACCEPT 规则写的是 -s 10.7.0.0/24，但这个包来自 10.8.0.2：它没有被放行");
    }

    @Test
    void theWrongOutgoingInterface() {
        Why.Result w = why("-A FORWARD -i tun0 -o ens3 -j ACCEPT\n");
        assertThat(w.findings().get(0).summary().english()).startsWith("the ACCEPT rule of vpn says -o ens3, but this packet leaves by eth0");
        assertThat(w.fixes().get(0).fix().changes()).extracting(Change::command).containsExactly("iptables -I FORWARD -i tun0 -o eth0 -j ACCEPT");
    }

    @Test
    void twoFieldsApartIsNotARuleMeantForThePacket() {
        Why.Result w = why("-A FORWARD -s 10.7.0.0/24 -i tun0 -o ens3 -j ACCEPT\n");
        assertThat(w.findings().get(0).summary().english()).doesNotContain("ACCEPT rule");
        assertThat(w.fixes()).noneMatch(f -> f.fix().id().equals("accept-rule-as-meant"));
    }

    @Test
    void anAcceptForAnotherInterfaceTheHostHasIsASiblingNotAMistake() {
        // -i wg0 is wg0's own pair on purpose; tun0 has none: the forward policy decides, no rule is blamed
        Why.Result w = why("-A FORWARD -i wg0 -o eth0 -j ACCEPT\n");
        assertThat(w.findings().get(0).summary().english()).doesNotContain("ACCEPT rule");
        assertThat(w.fixes()).noneMatch(f -> f.fix().id().equals("accept-rule-as-meant"));
    }
}
