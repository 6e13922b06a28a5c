package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Other shapes of real iproute2 6.1 output (captured in a namespace): without -d, nexthop objects, RTA_VIA,
 * DSCP names for tos, detached iif, route metrics. Plus hand-made edge cases.
 */
class JsonVariantsTest {
    // ip -j route show (no -d): no "type" for unicast, no "table" for main, no "scope" for global
    static final String ROUTES_WITHOUT_D = "[{\"dst\":\"10.0.0.0/24\",\"dev\":\"v0\",\"protocol\":\"kernel\",\"scope\":\"link\",\"prefsrc\":\"10.0.0.1\",\"flags\":[]},"
            + "{\"dst\":\"10.6.0.0/24\",\"nhid\":5,\"gateway\":\"10.0.0.3\",\"dev\":\"v0\",\"flags\":[]},"
            + "{\"dst\":\"10.7.0.0/24\",\"nhid\":7,\"flags\":[],\"nexthops\":[{\"gateway\":\"10.0.0.3\",\"dev\":\"v0\",\"weight\":1,\"flags\":[]},{\"gateway\":\"10.0.0.4\",\"dev\":\"v0\",\"weight\":1,\"flags\":[]}]},"
            + "{\"dst\":\"10.8.0.0/24\",\"via\":{\"family\":\"inet6\",\"host\":\"2001:db8::2\"},\"dev\":\"v0\",\"flags\":[]},"
            + "{\"dst\":\"10.9.0.0/24\",\"tos\":\"AF11\",\"gateway\":\"10.0.0.2\",\"dev\":\"v0\",\"flags\":[]},"
            + "{\"dst\":\"10.10.0.0/24\",\"gateway\":\"10.0.0.2\",\"dev\":\"v0\",\"flags\":[],\"flow\":{\"to\":\"3\"},\"metrics\":[{\"mtu\":1400}]},"
            + "{\"dst\":\"10.5.0.0/24\",\"gateway\":\"10.0.0.2\",\"dev\":\"v0\",\"table\":\"7\",\"flags\":[]},"
            + "{\"type\":\"local\",\"dst\":\"10.0.0.1\",\"dev\":\"v0\",\"table\":\"local\",\"protocol\":\"kernel\",\"scope\":\"host\",\"prefsrc\":\"10.0.0.1\",\"flags\":[]}]";

    static Route find(List<Route> routes, String dst) {
        return routes.stream().filter(r -> r.dst().equals(Prefix.parse(dst))).findFirst().orElseThrow();
    }

    @Test
    void routesWithoutDetails() {
        List<Problem> problems = new ArrayList<>();
        List<Route> routes = IpRouteReader.read("h/ip-route.json", ROUTES_WITHOUT_D, problems);
        assertThat(routes).hasSize(8);
        Route connected = find(routes, "10.0.0.0/24");
        assertThat(connected.type()).isEqualTo(RouteType.UNICAST);
        assertThat(connected.table()).isEqualTo(Route.TABLE_MAIN);
        assertThat(connected.scope()).isEqualTo("link");
        Route viaNh = find(routes, "10.6.0.0/24");   // nexthop object, resolved by ip into gateway/dev
        assertThat(viaNh.gateway()).isEqualTo(Ip.parse("10.0.0.3"));
        assertThat(viaNh.scope()).isEqualTo("global");
        assertThat(find(routes, "10.7.0.0/24").gateway()).isEqualTo(Ip.parse("10.0.0.3"));
        Route v6Gateway = find(routes, "10.8.0.0/24");
        assertThat(v6Gateway.gateway()).isNull();
        assertThat(v6Gateway.dev()).isEqualTo("v0");
        assertThat(find(routes, "10.9.0.0/24").tos()).isEqualTo(0x28);   // "AF11" from rt_dsfield
        assertThat(find(routes, "10.10.0.0/24").metric()).isZero();        // "metrics" (mtu...) is not "metric"
        assertThat(find(routes, "10.5.0.0/24").table()).isEqualTo(7);
        Route local = find(routes, "10.0.0.1/32");
        assertThat(local.type()).isEqualTo(RouteType.LOCAL);
        assertThat(problems).extracting((p -> p.message().english())).containsExactly(
                "multipath route with 2 next hops: only the first next hop is used",
                "route via an IPv6 next hop (2001:db8::2) is not simulated: the route is treated as having no gateway");
        assertThat(problems.get(0).source().line()).isEqualTo(1);   // single-line JSON: everything is line 1
    }

    @Test
    void interfacesWithoutDetails() {
        String addr = "[{\"ifindex\":2,\"link\":\"v0\",\"ifname\":\"v1\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],"
                + "\"mtu\":1500,\"qdisc\":\"noqueue\",\"master\":\"br0\",\"operstate\":\"UP\",\"group\":\"default\",\"txqlen\":1000,"
                + "\"link_type\":\"ether\",\"address\":\"aa:bb:cc:dd:ee:ff\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"addr_info\":[]}]";
        Interface i = IpAddrReader.read("h/ip-addr.json", addr, new ArrayList<>()).get(0);
        assertThat(i.name()).isEqualTo("v1");
        assertThat(i.kind()).isNull();   // only ip -d prints linkinfo
        assertThat(i.master()).isEqualTo("br0");
        assertThat(i.mac()).isEqualTo("aa:bb:cc:dd:ee:ff");
    }

    @Test
    void ruleWithDetachedIif() {
        String rules = "[{\"priority\":0,\"src\":\"all\",\"table\":\"local\"},"
                + "{\"priority\":5,\"src\":\"all\",\"iif\":\"nosuch0\",\"iif_detached\":null,\"table\":\"7\"}]";
        List<Rule> r = IpRuleReader.read("h/ip-rule.json", rules, new ArrayList<>());
        assertThat(r.get(1).iif()).isEqualTo("nosuch0");
        assertThat(r.get(1).table()).isEqualTo(7);
        assertThat(r.get(1).source().text()).isEqualTo("5:\tfrom all iif nosuch0 lookup 7");
    }

    @Test
    void ruleEdgeCases() {
        List<Problem> problems = new ArrayList<>();
        String rules = "[\n{\"priority\":10,\"src\":\"10.0.0.0\",\"srclen\":8,\"tos\":\"AF11\",\"table\":\"main\"},\n"
                + "{\"priority\":11,\"src\":\"all\",\"tos\":\"mytos\",\"table\":\"main\"},\n"
                + "{\"priority\":12,\"src\":\"2001:db8::\",\"srclen\":32,\"table\":\"main\"},\n"
                + "{\"priority\":13,\"src\":\"all\",\"fwmark\":\"0x10\",\"fwmask\":\"0xf0\",\"table\":\"4294967295\"},\n"
                + "{\"priority\":14,\"src\":\"all\",\"l3mdev\":null,\"table\":\"main\"}]";
        List<Rule> all = IpRuleReader.read("h/ip-rule.json", rules, problems);
        // the IPv6 rule (priority 12) is loaded with its family, apart from the IPv4 ones
        assertThat(all).filteredOn(x -> x.family() == Ip.Family.IPV6).extracting(Rule::priority).containsExactly(12);
        assertThat(all).filteredOn(x -> x.family() == Ip.Family.IPV6).extracting(x -> x.from().toString()).containsExactly("2001:db8::/32");
        List<Rule> r = all.stream().filter(x -> x.family() == Ip.Family.IPV4).toList();
        assertThat(r).extracting(Rule::priority).containsExactly(10, 13);
        assertThat(r.get(0).tos()).isEqualTo(0x28);
        assertThat(r.get(1).fwmark()).isEqualTo(0x10L);
        assertThat(r.get(1).fwmask()).isEqualTo(0xf0L);
        assertThat(r.get(1).table()).isEqualTo(-1);   // u32 4294967295 kept as the same bits
        assertThat(problems).extracting(Problem::toString).containsExactly(
                "h/ip-rule.json:3: rule ignored: tos \"mytos\" is a name from the host's rt_dsfield whose value is unknown: priority 11",
                "h/ip-rule.json:6: rule ignored: selector \"l3mdev\" is not simulated: priority 14");
    }

    @Test
    void ruleErrors() {
        assertThat(ruleError("[{\"src\":\"all\",\"table\":\"main\"}]")).isEqualTo("r.json:1: rule without \"priority\"");
        assertThat(ruleError("[{\"priority\":1,\"src\":\"all\"}]")).isEqualTo("r.json:1: rule without \"table\" or \"action\"");
        assertThat(ruleError("[{\"priority\":1,\"src\":\"10.0.0.0\",\"srclen\":40,\"table\":\"main\"}]"))
                .isEqualTo("r.json:1: prefix length out of range: 40");
        assertThat(ruleError("[{\"priority\":\"x\",\"src\":\"all\",\"table\":\"main\"}]"))
                .isEqualTo("r.json:1: \"priority\" must be an integer, not \"x\"");
        assertThat(ruleError("[{\"priority\":1,\"src\":\"all\",\"fwmark\":\"0x1ffffffff\",\"table\":\"main\"}]"))
                .isEqualTo("r.json:1: \"fwmark\" out of range: 0x1ffffffff");
    }

    static String ruleError(String text) {
        return catchThrowableOfType(() -> IpRuleReader.read("r.json", text, new ArrayList<>()), InputException.class).oneLine();
    }

    static String routeError(String text) {
        return catchThrowableOfType(() -> IpRouteReader.read("r.json", text, new ArrayList<>()), InputException.class).oneLine();
    }

    @Test
    void routeErrors() {
        assertThat(routeError("[{\"dev\":\"eth0\"}]")).isEqualTo("r.json:1: missing \"dst\"");
        assertThat(routeError("[{\"dst\":\"10.0.0.0/33\"}]")).isEqualTo("r.json:1: prefix length out of range: 10.0.0.0/33");
        assertThat(routeError("[{\"dst\":\"10.0.0.0/24\",\n\"metric\":\"lots\"}]")).isEqualTo("r.json:1: \"metric\" must be an integer, not \"lots\"");
        assertThat(routeError("[{\"dst\":\"10.0.0.0/24\",\"flags\":\"onlink\"}]")).isEqualTo("r.json:1: \"flags\" must be an array");
        assertThat(routeError("[{\"dst\":\"10.0.0.0/24\",\"nexthops\":[{\"gateway\":\"x\"}]}]")).isEqualTo("r.json:1: not an IPv4 address: x");
        assertThat(routeError("[{\"dst\":\"10.0.0.0/24\",\"nexthops\":[1]}]")).isEqualTo("r.json:1: expected a JSON object");
    }

    @Test
    void unknownTosNameDropsTheRoute() {
        List<Problem> problems = new ArrayList<>();
        List<Route> routes = IpRouteReader.read("r.json", "[{\"dst\":\"10.0.0.0/24\",\"tos\":\"gold\",\"dev\":\"eth0\"}]", problems);
        assertThat(routes).isEmpty();
        assertThat(problems).hasSize(1);
    }

    @Test
    void addressErrors() {
        assertThat(addrError("[{\"ifname\":\"e\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"1.2.3.4\",\"prefixlen\":33}]}]"))
                .isEqualTo("a.json:1: prefix length out of range: 33");
        assertThat(addrError("[{\"ifname\":\"e\",\"addr_info\":[{\"family\":\"inet\",\"prefixlen\":24}]}]"))
                .isEqualTo("a.json:1: missing \"local\"");
        assertThat(addrError("[{\"ifname\":\"e\"},\n{\"ifname\":\"e\"}]")).isEqualTo("a.json:2: interface \"e\" listed twice");
        assertThat(addrError("[{\"ifname\":\"e\",\"mtu\":1e99}]")).isEqualTo("a.json:1: \"mtu\" must be an integer, not 1E+99");
        assertThat(addrError("[{\"ifname\":\"e\",\"linkinfo\":\"veth\"}]")).isEqualTo("a.json:1: \"linkinfo\" must be an object");
    }

    static String addrError(String text) {
        return catchThrowableOfType(() -> IpAddrReader.read("a.json", text, new ArrayList<>()), InputException.class).oneLine();
    }
}
