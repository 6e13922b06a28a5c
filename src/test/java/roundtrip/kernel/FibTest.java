package roundtrip.kernel;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FibTest {
    private static Ip ip(String s) { return Ip.parse(s); }

    /** Two uplinks: the multihomed server of story S5. */
    private static TestHosts multihomed() {
        return TestHosts.host("server")
                .iface("eth0", "192.168.4.65/24")
                .iface("eth1", "192.168.2.13/24")
                .route(Route.TABLE_MAIN, "0.0.0.0/0", "192.168.2.1", "eth1")
                .route(100, "0.0.0.0/0", "192.168.4.1", "eth0");
    }

    /**
     * An IPv6 table local as a dual-stack host has it: each address a /128 (given here in descending order, on both
     * sides of the sign bit of the first 64 bits) and ff00::/8. Its own addresses are local, the multicast prefix is
     * found, and an address it does not hold has no route there (the quick "no route here" keeps the /128s sorted).
     */
    @Test
    void anIpv6TableLocalFindsEachAddressAndNothingElse() {
        Host h = TestHosts.host("h").iface("eth0", "fe80::2/64", "2001:db8::20/64", "2001:db8::10/64")
                .iface("eth1", "8000::1/64", "::1/128")
                .typed(Route.TABLE_LOCAL, RouteType.MULTICAST, "ff00::/8").defaultRules().build();
        Fib fib = new Fib(h);
        for (String a : new String[] {"fe80::2", "2001:db8::20", "2001:db8::10", "8000::1", "::1"})
            assertThat(fib.addressType(ip(a))).as(a).isEqualTo("LOCAL");
        for (String a : new String[] {"fe80::3", "2001:db8::11", "2001:db8::", "8000::2", "::2", "9000::1"})
            assertThat(fib.addressType(ip(a))).as(a).isEqualTo("UNICAST");
        Flow toGroup = new Flow(ip("ff02::1"), null, "lo", null, 0, 0);
        assertThat(fib.lookupTable(Route.TABLE_LOCAL, toGroup)).isSameAs(fib.scanTable(Route.TABLE_LOCAL, toGroup)).isNotNull();
    }

    /**
     * A router's IPv4 table local of hundreds of addresses, scattered and given in no order, and 0.0.0.0: each is
     * local, and no address beside them is (the quick "no route here" searches the sorted /32s).
     */
    @Test
    void aLargeIpv4TableLocalFindsEachAddressAndNothingElse() {
        TestHosts t = TestHosts.host("core");
        java.util.Random rnd = new java.util.Random(7);
        java.util.List<String> own = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String a = "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + 2 * rnd.nextInt(100));
            if (own.contains(a)) continue;
            own.add(a);
            t.iface("eth" + i, a + "/32");
        }
        t.iface("dummy0", "0.0.0.0/32");
        Fib fib = new Fib(t.defaultRules().build());
        for (String a : own) {
            assertThat(fib.addressType(ip(a))).as(a).isEqualTo("LOCAL");
            String next = a.substring(0, a.lastIndexOf('.') + 1) + (Integer.parseInt(a.substring(a.lastIndexOf('.') + 1)) + 1);
            assertThat(fib.addressType(ip(next))).as(next).isEqualTo("UNICAST");
        }
        Flow toZero = new Flow(ip("0.0.0.0"), null, "lo", null, 0, 0);
        assertThat(fib.lookupTable(Route.TABLE_LOCAL, toZero)).isSameAs(fib.scanTable(Route.TABLE_LOCAL, toZero)).isNotNull();
        Flow toOther = new Flow(ip("192.0.2.9"), null, "lo", null, 0, 0);
        assertThat(fib.lookupTable(Route.TABLE_LOCAL, toOther)).isNull();
    }

    @Test
    void longestPrefixThenMetric() {
        Host h = multihomed().defaultRules().route(Route.TABLE_MAIN, "10.0.0.0/8", "192.168.4.1", "eth0").build();
        Fib fib = new Fib(h);
        assertThat(fib.lookup(Flow.output(ip("10.1.2.3"), null, null, 0)).route().dev()).isEqualTo("eth0");
        assertThat(fib.lookup(Flow.output(ip("8.8.8.8"), null, null, 0)).route().dev()).isEqualTo("eth1");
    }

    @Test
    void sourceSelectionPrefersTheNextHopsSubnetOnTheOutgoingDevice() {
        Fib fib = new Fib(multihomed().defaultRules().build());
        FibResult r = fib.lookup(Flow.output(ip("203.0.113.9"), null, null, 0));
        assertThat(String.valueOf(fib.preferredSource(r, ip("203.0.113.9")))).isEqualTo("192.168.2.13");
    }

    @Test
    void fromRuleAppliesOnlyOnceTheSourceIsKnown() {
        Host h = multihomed().defaultRules().rule(TestHosts.lookup(100, "192.168.4.65/32", null, 100)).build();
        Fib fib = new Fib(h);
        // an unbound socket's lookup has source 0: the from rule does not match
        assertThat(fib.lookup(Flow.output(ip("203.0.113.9"), null, null, 0)).route().dev()).isEqualTo("eth1");
        // a reply from 192.168.4.65 (SYN-ACK, bound socket) does
        assertThat(fib.lookup(Flow.output(ip("203.0.113.9"), ip("192.168.4.65"), null, 0)).route().dev()).isEqualTo("eth0");
    }

    @Test
    void fwmarkRuleWithMask() {
        Rule r = new Rule(Ip.Family.IPV4, 50, false, null, null, 0x1234L, 0xffffL, null, null, null, "table", 100, 0, -1, Source.NONE);
        Fib fib = new Fib(multihomed().defaultRules().rule(r).build());
        assertThat(fib.lookup(Flow.output(ip("8.8.8.8"), null, null, 0x51234)).route().dev()).isEqualTo("eth0");
        assertThat(fib.lookup(Flow.output(ip("8.8.8.8"), null, null, 0x1235)).route().dev()).isEqualTo("eth1");
    }

    @Test
    void suppressPrefixLengthSkipsTheDefaultRouteOfMain() {
        // wg-quick: "lookup main suppress_prefixlength 0" then "not fwmark 0xca6c lookup 51820"
        Rule suppress = new Rule(Ip.Family.IPV4, 32764, false, null, null, null, 0, null, null, null, "table", Route.TABLE_MAIN, 0, 0, Source.NONE);
        Rule notMark = new Rule(Ip.Family.IPV4, 32765, true, null, null, 0xca6cL, 0xffffffffL, null, null, null, "table", 51820, 0, -1, Source.NONE);
        Host h = multihomed().defaultRules().rule(suppress).rule(notMark).route(51820, "0.0.0.0/0", "192.168.4.1", "eth0").build();
        Fib fib = new Fib(h);
        assertThat(fib.lookup(Flow.output(ip("8.8.8.8"), null, null, 0)).route().table()).isEqualTo(51820);
        assertThat(fib.lookup(Flow.output(ip("192.168.2.7"), null, null, 0)).route().table()).isEqualTo(Route.TABLE_MAIN);
        assertThat(fib.lookup(Flow.output(ip("8.8.8.8"), null, null, 0xca6c)).route().dev()).isEqualTo("eth1");
    }

    @Test
    void throwRouteContinuesWithTheNextRuleAndGotoSkipsAhead() {
        Host h = multihomed().defaultRules()
                .rule(TestHosts.lookup(10, null, null, 100))
                .typed(100, RouteType.THROW, "8.8.8.0/24")
                .build();
        Fib fib = new Fib(h);
        assertThat(fib.lookup(Flow.output(ip("8.8.8.8"), null, null, 0)).route().dev()).isEqualTo("eth1");
        assertThat(fib.lookup(Flow.output(ip("9.9.9.9"), null, null, 0)).route().dev()).isEqualTo("eth0");
        Rule jump = new Rule(Ip.Family.IPV4, 5, false, null, null, null, 0, null, null, null, "goto", 0, 20, -1, Source.NONE);
        Fib skipping = new Fib(multihomed().defaultRules().rule(jump).rule(TestHosts.lookup(10, null, null, 100)).build());
        assertThat(skipping.lookup(Flow.output(ip("9.9.9.9"), null, null, 0)).route().dev()).isEqualTo("eth1");
    }

    @Test
    void errorRoutesAndRuleActions() {
        Host h = multihomed().defaultRules().typed(Route.TABLE_MAIN, RouteType.BLACKHOLE, "10.66.0.0/16")
                .rule(new Rule(Ip.Family.IPV4, 7, false, Prefix.parse("192.168.4.65/32"), null, null, 0, null, null, null, "prohibit", 0, 0, -1, Source.NONE))
                .build();
        Fib fib = new Fib(h);
        assertThat(fib.lookup(Flow.output(ip("10.66.1.1"), null, null, 0)).type()).isEqualTo(RouteType.BLACKHOLE);
        assertThat(fib.lookup(Flow.output(ip("10.1.1.1"), ip("192.168.4.65"), null, 0)).type()).isEqualTo(RouteType.PROHIBIT);
    }

    @Test
    void strictRpFilterRefusesAPacketWhoseReturnRouteLeavesByAnotherDevice() {
        Host strict = multihomed().defaultRules().sysctl(Map.of("net.ipv4.conf.all.rp_filter", "1")).build();
        Fib fib = new Fib(strict);
        assertThat(fib.validateSource(ip("203.0.113.9"), ip("192.168.4.65"), "eth0", 0).ok()).isFalse();
        assertThat(fib.validateSource(ip("203.0.113.9"), ip("192.168.2.13"), "eth1", 0).ok()).isTrue();
        Host loose = multihomed().defaultRules().sysctl(Map.of("net.ipv4.conf.eth0.rp_filter", "2")).build();
        assertThat(new Fib(loose).validateSource(ip("203.0.113.9"), ip("192.168.4.65"), "eth0", 0).ok()).isTrue();
    }

    @Test
    void withoutRpFilterOnlyALocalSourceIsMartian() {
        Fib fib = new Fib(multihomed().defaultRules().build());
        assertThat(fib.validateSource(ip("192.168.2.13"), ip("192.168.4.65"), "eth0", 0).ok()).isFalse();
        assertThat(fib.validateSource(ip("1.2.3.4"), ip("192.168.4.65"), "eth0", 0).ok()).isTrue();
    }
}
