package roundtrip.fix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An accept written for a dropped ping names ICMPv6 as ip6tables does: `-p icmp` never matches an IPv6 packet. */
class WhyIcmpv6AcceptTest {
    private static final String NET = """
            hosts:
              pc:
                interfaces: {eth0: ["2001:db8:1::10/64"]}
                routes: ["default via 2001:db8:1::1"]
              router:
                interfaces: {lan: ["2001:db8:1::1/64"], wan: ["2001:db8:2::1/64"]}
                sysctl: {net.ipv6.conf.all.forwarding: 1}
                ip6tables: |
                  *filter
                  :FORWARD ACCEPT [0:0]
                  -A FORWARD -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j DROP
                  COMMIT
              web:
                interfaces: {eth0: ["2001:db8:2::80/64"]}
                routes: ["default via 2001:db8:2::1"]
            segments:
              lan: [pc:eth0, router:lan]
              wan: [router:wan, web:eth0]
            probes:
              - {id: ping-web, from: pc, to: "2001:db8:2::80", proto: icmp}
            """;

    @Test void theAcceptForAPingIsForIcmpv6AndPasses() {
        StoryFixture.NetFile c = StoryFixture.NetFile.read(NET);
        Why.Result w = new Why(c.net()).explain(c.probe("ping-web"), c.probes());
        RankedFix accept = w.fixes().stream().filter(f -> f.fix().id().equals("accept-before-rule")).findFirst().orElseThrow();
        assertThat(accept.fix().changes().get(0).command())
                .isEqualTo("ip6tables -I FORWARD -s 2001:db8:1::/64 -d 2001:db8:2::80 -p ipv6-icmp -j ACCEPT");
        assertThat(Why.passes(accept.verification())).isTrue();
    }
}
