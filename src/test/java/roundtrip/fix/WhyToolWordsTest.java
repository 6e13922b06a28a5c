package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Network;
import roundtrip.model.Probe;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.fix.StoryFixture.fix;
import static roundtrip.fix.StoryFixture.passes;

/**
 * Issue 12 item 5: fixes in the words of the tool that owns the firewall (ufw, firewalld, OpenWrt's uci), each
 * simulated as what the tool makes of it; and a forward policy written as a rule is named as the forward policy.
 */
class WhyToolWordsTest {
    private static Why.Result why(String yaml, String probe) {
        NetworkFileReader.Result r = NetworkFileReader.parse("test.yaml", yaml, Path.of("."));
        List<Probe> probes = r.probes().stream().map(ProbeReader.LocatedProbe::probe).toList();
        Network net = r.network();
        return new Why(net).explain(probes.stream().filter(p -> p.id().equals(probe)).findFirst().orElseThrow(), probes);
    }

    private static String vps(String iptables) {
        return """
                hosts:
                  client:
                    interfaces: {eth0: 10.8.0.2/24}
                    routes: [default via 10.8.0.1]
                  vps:
                    interfaces: {in0: 10.8.0.1/24, out0: 203.0.113.50/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                    iptables: |
                """ + iptables.stripIndent().indent(6) + """
                  web:
                    interfaces: {eth0: 203.0.113.80/24}
                    listen: [tcp/22, tcp/443]
                segments:
                  vpn: [client:eth0, vps:in0]
                  internet: [vps:out0, web:eth0]
                probes:
                  - {id: ssh, from: client, to: 203.0.113.80, proto: tcp, dport: 22, expect: ROUND_TRIP_OK}
                  - {id: https, from: client, to: 203.0.113.80, proto: tcp, dport: 443, expect: ROUND_TRIP_OK}
                """;
    }

    private static final String UFW = """
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A POSTROUTING -s 10.8.0.0/24 -o out0 -j MASQUERADE
      COMMIT
      *filter
      :INPUT DROP [0:0]
      :FORWARD DROP [0:0]
      :OUTPUT ACCEPT [0:0]
      :ufw-after-forward - [0:0]
      :ufw-after-input - [0:0]
      :ufw-after-logging-forward - [0:0]
      :ufw-before-forward - [0:0]
      :ufw-before-input - [0:0]
      :ufw-reject-forward - [0:0]
      :ufw-track-forward - [0:0]
      :ufw-user-forward - [0:0]
      :ufw-user-input - [0:0]
      -A INPUT -j ufw-before-input
      -A INPUT -j ufw-after-input
      -A FORWARD -j ufw-before-forward
      -A FORWARD -j ufw-after-forward
      -A FORWARD -j ufw-after-logging-forward
      -A FORWARD -j ufw-reject-forward
      -A FORWARD -j ufw-track-forward
      -A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      -A ufw-before-forward -p icmp -m icmp --icmp-type 3 -j ACCEPT
      -A ufw-before-forward -p icmp -m icmp --icmp-type 11 -j ACCEPT
      -A ufw-before-forward -p icmp -m icmp --icmp-type 12 -j ACCEPT
      -A ufw-before-forward -p icmp -m icmp --icmp-type 8 -j ACCEPT
      -A ufw-before-forward -j ufw-user-forward
      -A ufw-before-input -i lo -j ACCEPT
      -A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      -A ufw-before-input -j ufw-user-input
      -A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT
      COMMIT
""";

    private static final String FIREWALLD = """
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      :POSTROUTING_ZONES - [0:0]
      :POSTROUTING_ZONES_SOURCE - [0:0]
      :POSTROUTING_direct - [0:0]
      :POST_public - [0:0]
      :POST_public_allow - [0:0]
      :POST_public_deny - [0:0]
      :POST_public_log - [0:0]
      -A POSTROUTING -j POSTROUTING_direct
      -A POSTROUTING -j POSTROUTING_ZONES_SOURCE
      -A POSTROUTING -j POSTROUTING_ZONES
      -A POSTROUTING_ZONES -o out0 -g POST_public
      -A POSTROUTING_ZONES -g POST_public
      -A POST_public -j POST_public_log
      -A POST_public -j POST_public_deny
      -A POST_public -j POST_public_allow
      COMMIT
      *filter
      :INPUT ACCEPT [0:0]
      :FORWARD ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :FORWARD_IN_ZONES - [0:0]
      :FORWARD_IN_ZONES_SOURCE - [0:0]
      :FORWARD_OUT_ZONES - [0:0]
      :FORWARD_OUT_ZONES_SOURCE - [0:0]
      :FORWARD_direct - [0:0]
      :FWDI_public - [0:0]
      :FWDI_public_allow - [0:0]
      :FWDI_public_deny - [0:0]
      :FWDI_public_log - [0:0]
      :FWDO_public - [0:0]
      :FWDO_public_allow - [0:0]
      :FWDO_public_deny - [0:0]
      :FWDO_public_log - [0:0]
      -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      -A FORWARD -i lo -j ACCEPT
      -A FORWARD -j FORWARD_direct
      -A FORWARD -j FORWARD_IN_ZONES_SOURCE
      -A FORWARD -j FORWARD_IN_ZONES
      -A FORWARD -j FORWARD_OUT_ZONES_SOURCE
      -A FORWARD -j FORWARD_OUT_ZONES
      -A FORWARD -m conntrack --ctstate INVALID -j DROP
      -A FORWARD -j REJECT --reject-with icmp-host-prohibited
      -A FORWARD_IN_ZONES -i out0 -g FWDI_public
      -A FORWARD_IN_ZONES -g FWDI_public
      -A FORWARD_OUT_ZONES -o out0 -g FWDO_public
      -A FORWARD_OUT_ZONES -g FWDO_public
      -A FWDI_public -j FWDI_public_log
      -A FWDI_public -j FWDI_public_deny
      -A FWDI_public -j FWDI_public_allow
      -A FWDI_public -p icmp -j ACCEPT
      -A FWDO_public -j FWDO_public_log
      -A FWDO_public -j FWDO_public_deny
      -A FWDO_public -j FWDO_public_allow
      COMMIT
""";

    @Test
    void ufwHostGetsUfwRouteAllowFirstThenTheRoutedDefault() {
        Why.Result w = why(vps(UFW), "ssh");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.FORWARD_DROP);
        RankedFix first = w.fixes().get(0);
        assertThat(first.fix().id()).isEqualTo("ufw-route-allow");
        passes(first);
        assertThat(first.fix().changes()).extracting(Change::command).containsExactly("ufw route allow in on in0 out on out0");
        assertThat(first.fix().changes().get(0).equivalent()).containsExactly("iptables -A ufw-user-forward -i in0 -o out0 -j ACCEPT");
        passes(fix(w, "ufw-default-allow-routed"));
        // no raw FORWARD rules or policy on a ufw host: ufw would make its ruleset again without them
        assertThat(w.fixes()).noneMatch(f -> f.fix().id().equals("forward-accept-rules") || f.fix().id().equals("forward-policy-accept"));
        assertThat(Dialect.of(NetworkFileReader.parse("t.yaml", vps(UFW), Path.of(".")).network().host("vps")))
                .isEqualTo(Dialect.UFW);
    }

    @Test
    void firewalldHostGetsItsMasqueradeWhichAlsoForwardsBefore1_0() {
        Why.Result w = why(vps(FIREWALLD), "https");
        // the final REJECT of FORWARD is firewalld's forward policy
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.FORWARD_DROP);
        RankedFix first = w.fixes().get(0);
        assertThat(first.fix().id()).isEqualTo("firewalld-masquerade");
        passes(first);
        assertThat(first.fix().changes().get(0).command())
                .isEqualTo("firewall-cmd --zone=public --add-masquerade && firewall-cmd --permanent --zone=public --add-masquerade");
        assertThat(first.fix().changes().get(0).equivalent()).containsExactly(
                "iptables -t nat -A POST_public_allow ! -o lo -j MASQUERADE",
                "iptables -A FWDO_public_allow -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
    }

    @Test
    void aRejectFollowedByAcceptsIsARuleNotThePolicy() {
        String ipt = """
                *filter
                :FORWARD ACCEPT [0:0]
                -A FORWARD -j REJECT --reject-with icmp-host-prohibited
                -A FORWARD -i in0 -o out0 -j ACCEPT
                -A FORWARD -i out0 -o in0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                COMMIT
                *nat
                -A POSTROUTING -s 10.8.0.0/24 -o out0 -j MASQUERADE
                COMMIT
                """;
        Why.Result w = why(vps(ipt), "ssh");
        // not the forward policy: the accepts behind the REJECT are the mistake (appended after it)
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.ACCEPT_RULE_AFTER_REJECT);
        assertThat(w.findings().get(0).summary().english()).startsWith("the accept `-A FORWARD -i in0 -o out0 -j ACCEPT` (test.yaml:")
                .endsWith("in FORWARD: the packet is stopped before it gets there");
        passes(fix(w, "move-accepts-before-rule"));
    }

    private static final String OPENWRT = """
            hosts:
              laptop:
                interfaces: {eth0: 192.168.1.20/24}
                routes: [default via 192.168.1.1]
              router:
                sysctl: {net.ipv4.ip_forward: 1}
                openwrt:
                  firewall: |
                    config defaults
                    	option input 'REJECT'
                    	option output 'ACCEPT'
                    	option forward 'REJECT'

                    config zone
                    	option name 'lan'
                    	list network 'lan'
                    	option input 'ACCEPT'
                    	option output 'ACCEPT'
                    	option forward 'ACCEPT'

                    config zone
                    	option name 'wan'
                    	list network 'wan'
                    	option input 'REJECT'
                    	option output 'ACCEPT'
                    	option forward 'REJECT'
                    	option masq '1'

                    config forwarding
                    	option src 'lan'
                    	option dest 'wan'
                  network: |
                    config interface 'lan'
                    	option device 'lan1'
                    	option proto 'static'
                    	option ipaddr '192.168.1.1'
                    	option netmask '255.255.255.0'

                    config interface 'wan'
                    	option device 'wan'
                    	option proto 'static'
                    	option ipaddr '203.0.113.10'
                    	option netmask '255.255.255.0'
                    	option gateway '203.0.113.1'

                    config interface 'vpn'
                    	option device 'vpn0'
                    	option proto 'static'
                    	option ipaddr '10.99.0.2'
                    	option netmask '255.255.255.0'

                    config route
                    	option interface 'vpn'
                    	option target '192.0.2.0/24'
                    	option gateway '10.99.0.1'
              tunnel-far:
                managed: false
                interfaces: {eth0: 10.99.0.1/24, svc: 192.0.2.1/24}
                sysctl: {net.ipv4.ip_forward: 1}
              web:
                managed: false
                interfaces: {eth0: 192.0.2.80/24}
                routes: [default via 192.0.2.1]
                listen: [tcp/443]
            segments:
              lan: [laptop:eth0, router:lan1]
              tunnel: [router:vpn0, tunnel-far:eth0]
              far: [tunnel-far:svc, web:eth0]
            probes:
              - {id: web, from: laptop, to: 192.0.2.80, proto: tcp, dport: 443, expect: ROUND_TRIP_OK}
            """;

    @Test
    void openWrtDeviceInNoZoneJoinsTheZoneItsTrafficIsForwardedTo() {
        Why.Result w = why(OPENWRT, "web");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.FORWARD_DROP);
        RankedFix first = w.fixes().get(0);
        // interface vpn joins wan (lan forwards to wan, and wan masquerades): one uci change
        assertThat(first.fix().changes()).extracting(Change::command)
                .containsExactly("uci add_list firewall.@zone[1].network='vpn'; uci commit firewall; fw4 reload");
        passes(first);
        // joining lan (forwarding allowed, no masquerading) does not pass: the far side has no route back
        RankedFix lan = w.fixes().stream().filter(f -> f.fix().changes().get(0).command().contains("@zone[0]")).findFirst().orElseThrow();
        assertThat(lan.verification().fixesProbe()).isFalse();
    }
}
