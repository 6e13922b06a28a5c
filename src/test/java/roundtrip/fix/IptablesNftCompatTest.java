package roundtrip.fix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules iptables-nft writes into its nftables table for our fixes' specifications, as `nft list` shows them on the
 * real kernel (checked in a namespace: `ip6tables -I FORWARD -i br-lan -o eth1 -j ACCEPT` lists as
 * `iifname "br-lan" oifname "eth1" counter accept`); LabVerifyCliTest proves the fixes on the kernel.
 */
class IptablesNftCompatTest {
    @Test void theMatchesOurFixesWriteHaveTheirNftWords() {
        assertThat(IptablesNftCompat.rule("-i br-lan -o eth1 -j ACCEPT", true)).isEqualTo("iifname \"br-lan\" oifname \"eth1\" accept");
        assertThat(IptablesNftCompat.rule("-i eth1 -o br-lan -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", true))
                .isEqualTo("iifname \"eth1\" oifname \"br-lan\" ct state related,established accept");
        assertThat(IptablesNftCompat.rule("-s 10.8.0.0/24 -d 192.168.1.5 -p tcp -m tcp --dport 22 -j ACCEPT", false))
                .isEqualTo("ip saddr 10.8.0.0/24 ip daddr 192.168.1.5 meta l4proto tcp tcp dport 22 accept");
        assertThat(IptablesNftCompat.rule("-s fd00::/64 -o eth0 -j MASQUERADE", true)).isEqualTo("ip6 saddr fd00::/64 oifname \"eth0\" masquerade");
    }

    @Test void whatItDoesNotKnowIsRefusedNotGuessed() {
        assertThat(IptablesNftCompat.rule("! -i lo -j ACCEPT", true)).isNull();
        assertThat(IptablesNftCompat.rule("-m recent --name x -j DROP", false)).isNull();
        assertThat(IptablesNftCompat.rule("-j LOG", false)).isNull();
        assertThat(IptablesNftCompat.rule("-i eth0", false)).isNull();
    }

    /**
     * IPv4 the same as IPv6: a host whose only IPv4 filter is iptables-nft's `table ip filter` (FORWARD policy drop, as
     * nft text) gets `iptables` fixes that edit that table, and they pass when simulated again.
     */
    @Test void anIptablesFixEditsIptablesNftsIpFilterTable() {
        StoryFixture.NetFile c = StoryFixture.NetFile.read("""
                hosts:
                  pc:
                    interfaces: {eth0: [10.1.0.10/24]}
                    routes: [default via 10.1.0.1]
                  router:
                    interfaces: {lan: [10.1.0.1/24], wan: [10.2.0.1/24]}
                    sysctl: {net.ipv4.ip_forward: 1}
                    nft: |
                      table ip filter {
                      	chain FORWARD {
                      		type filter hook forward priority filter; policy drop;
                      		counter packets 0 bytes 0 jump DOCKER-USER
                      	}
                      	chain DOCKER-USER {
                      		counter packets 0 bytes 0 return
                      	}
                      }
                  web:
                    interfaces: {eth0: [10.2.0.80/24]}
                    routes: [default via 10.2.0.1]
                    listen: [tcp/443]
                segments:
                  lan: [pc:eth0, router:lan]
                  wan: [router:wan, web:eth0]
                probes:
                  - {id: web, from: pc, to: 10.2.0.80, proto: tcp, dport: 443}
                """);
        Why.Result w = new Why(c.net()).explain(c.probe("web"), c.probes());
        assertThat(w.fixes()).filteredOn(f -> f.fix().id().equals("forward-policy-accept") || f.fix().id().equals("forward-accept-rules"))
                .hasSize(2).allSatisfy(f -> {
                    assertThat(f.fix().changes()).allSatisfy(ch -> assertThat(ch.command()).startsWith("iptables "));
                    assertThat(Why.passes(f.verification())).as(f.fix().id()).isTrue();
                });
    }
}
