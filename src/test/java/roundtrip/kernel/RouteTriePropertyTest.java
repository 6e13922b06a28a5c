package roundtrip.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.netfilter.Ruleset;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prefix trie a table is looked up in, and the scan of a small table's prefixes as bits and masks, are only faster
 * walks: for any table (both families, every prefix length,
 * equal prefixes with TOS and metrics, error and throw routes, devices that are down, an oif constraint) it finds the
 * very route the rule-by-rule scan of the sorted table finds.
 */
class RouteTriePropertyTest {
    private static final String[] V4 = {"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32", "10.1.2.128/25",
            "192.168.0.0/16", "192.168.1.0/24", "128.0.0.0/1", "10.1.2.0/23"};
    // host routes on both sides of the sign bit of the first 64 bits (the quick "no route here" keeps them sorted unsigned)
    private static final String[] V6 = {"::/0", "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1::5/128", "2001:db8:1:0:8000::/65",
            "fe80::/10", "8000::/1", "2001:db8:1::6/128", "::1/128", "ff02::1/128", "8000::1/128", "fe80::1/128", "ff00::/8"};
    private static final String[] V4_DST = {"10.1.2.3", "10.1.2.200", "10.1.3.1", "10.9.9.9", "192.168.1.1", "192.168.7.7",
            "200.1.1.1", "8.8.8.8"};
    private static final String[] V6_DST = {"2001:db8:1::5", "2001:db8:1::6", "2001:db8:1:0:8000::1", "2001:db8:2::1",
            "fe80::1", "2a00::1", "::1", "ff02::1", "ff02::2", "8000::1", "fe80::2"};

    record R(boolean v6, int prefix, RouteType type, String dev, int metric, int tos, int table) {}

    record F(boolean v6, int dst, String oif, int tos) {}

    @Property(tries = 400)
    void trieFindsWhatTheScanFinds(@ForAll("tables") List<R> routes, @ForAll("flows") List<F> flows) {
        List<Route> list = routes.stream().map(r -> new Route(r.table(), r.type(),
                Prefix.parse(r.v6() ? V6[r.prefix() % V6.length] : V4[r.prefix() % V4.length], r.v6() ? Ip.Family.IPV6 : Ip.Family.IPV4),
                null, r.type() == RouteType.UNICAST ? r.dev() : null, null, r.metric(), null, r.tos(), false,
                new Source("t", 1, r.toString()))).toList();
        List<Interface> ifaces = List.of(
                new Interface("eth0", 2, "veth", null, true, false, "", 1500, List.of()),
                new Interface("eth1", 3, "veth", null, false, false, "", 1500, List.of()),
                new Interface("wg0", 4, "wireguard", null, true, true, "", 1420, List.of()));
        Host h = new Host("h", ifaces, list, Rule.kernelDefaults(Ip.Family.IPV4, Source.NONE), Ruleset.EMPTY, Sysctls.empty(),
                List.of(), List.of());
        // every table as a trie, and every table scanned with its prefixes' bits and masks (what small tables get)
        for (Fib fib : List.of(new Fib(h, 0), new Fib(h, Integer.MAX_VALUE))) {
            for (F f : flows) {
                Ip dst = Ip.parse(f.v6() ? V6_DST[f.dst() % V6_DST.length] : V4_DST[f.dst() % V4_DST.length]);
                Flow flow = new Flow(dst, null, "lo", f.oif(), 0, f.tos());
                for (int table : new int[] {Route.TABLE_MAIN, 100}) {
                    assertThat(fib.lookupTable(table, flow)).isSameAs(fib.scanTable(table, flow));
                }
            }
        }
    }

    /**
     * Rules without selectors (the kernel's defaults, or `ip rule add pref N table T`, `from all` included) are walked
     * without reading them: the lookup must still give the route and rule that trying each rule in order gives.
     */
    @Property(tries = 300)
    void rulesThatMatchEveryPacketAreWalkedAsTheRuleByRuleOrder(@ForAll("tables") List<R> routes, @ForAll("flows") List<F> flows,
                                                               @ForAll("extraRules") List<Integer> extra) {
        List<Route> list = routes.stream().filter(r -> !r.v6()).map(r -> new Route(r.table(), r.type(),
                Prefix.parse(V4[r.prefix() % V4.length], Ip.Family.IPV4), null, r.type() == RouteType.UNICAST ? r.dev() : null,
                null, r.metric(), null, r.tos(), false, new Source("t", 1, r.toString()))).toList();
        List<Rule> rules = new java.util.ArrayList<>(Rule.kernelDefaults(Ip.Family.IPV4, Source.NONE));
        for (int i = 0; i < extra.size(); i++) {
            int priority = 1 + extra.get(i) % 32000, table = extra.get(i) % 2 == 0 ? 100 : 101;
            Prefix from = i % 2 == 0 ? null : Prefix.parse("0.0.0.0/0", Ip.Family.IPV4);
            rules.add(new Rule(Ip.Family.IPV4, priority, false, from, null, null, 0, null, null, null, "table", table, 0, -1,
                    new Source("r", i + 1, "pref " + priority + " table " + table)));
        }
        rules.sort((a, b) -> Integer.compare(a.priority(), b.priority()));
        List<Interface> ifaces = List.of(new Interface("eth0", 2, "veth", null, true, false, "", 1500, List.of()),
                new Interface("eth1", 3, "veth", null, false, false, "", 1500, List.of()));
        Host h = new Host("h", ifaces, list, rules, Ruleset.EMPTY, Sysctls.empty(), List.of(), List.of());
        for (Fib fib : List.of(new Fib(h, 0), new Fib(h, Integer.MAX_VALUE))) for (F f : flows) {
            Flow flow = new Flow(Ip.parse(V4_DST[f.dst() % V4_DST.length]), null, "lo", f.oif(), 0, f.tos());
            Route want = null;
            Rule by = null;
            for (Rule r : rules) {
                Route found = fib.scanTable(r.table(), flow);
                if (found == null || found.type() == RouteType.THROW) continue;
                want = found;
                by = r;
                break;
            }
            FibResult got = fib.lookup(flow);
            assertThat(got.route()).as("%s", flow).isSameAs(want);
            if (want != null) assertThat(got.rule()).as("%s", flow).isSameAs(by);
        }
    }

    @Provide
    Arbitrary<List<Integer>> extraRules() { return Arbitraries.integers().between(0, 100_000).list().ofMaxSize(3); }

    @Provide
    Arbitrary<List<R>> tables() {
        Arbitrary<R> route = Combinators.combine(Arbitraries.integers().between(0, 4).map(i -> i == 0),
                Arbitraries.integers().between(0, 20),
                Arbitraries.of(RouteType.UNICAST, RouteType.UNICAST, RouteType.UNICAST, RouteType.BLACKHOLE, RouteType.THROW,
                        RouteType.UNREACHABLE),
                Arbitraries.of("eth0", "eth1", "wg0", "eth9"), Arbitraries.integers().between(0, 3),
                Arbitraries.of(0, 0, 0, 4, 8), Arbitraries.of(Route.TABLE_MAIN, Route.TABLE_MAIN, 100))
                .as(R::new);
        return route.list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<F>> flows() {
        Arbitrary<F> flow = Combinators.combine(Arbitraries.integers().between(0, 4).map(i -> i == 0),
                Arbitraries.integers().between(0, 20), Arbitraries.of("eth0", "eth1", "wg0").injectNull(0.6),
                Arbitraries.of(0, 0, 4, 8)).as(F::new);
        return flow.list().ofMinSize(1).ofMaxSize(8);
    }
}
