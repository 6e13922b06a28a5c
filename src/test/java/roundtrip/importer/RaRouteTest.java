package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.Problem;
import roundtrip.model.Route;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A default route learned from a router advertisement, as `ip -j -6 route` prints it (taken from a namespace:
 * `ip -6 route add default via fe80::1 dev X proto ra metric 1024 expires 1800 pref high`): its expiry is the
 * moment's remaining lifetime and is ignored (the snapshot is the moment), its preference is kept as written.
 */
class RaRouteTest {
    @Test void anRaDefaultRouteIsAnIpv6DefaultRouteViaItsLinkLocalGateway() {
        List<Problem> problems = new ArrayList<>();
        List<Route> routes = IpRouteReader.read("h/ip6-route.json", """
                [{"dst":"2001:db8:5::/64","dev":"eth0","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},
                 {"dst":"default","gateway":"fe80::1","dev":"eth0","protocol":"ra","metric":1024,"flags":[],"expires":1800,"pref":"high"}]
                """, problems);
        assertThat(problems).isEmpty();
        Route ra = routes.get(1);
        assertThat(ra.dst().addr().isV6()).isTrue();
        assertThat(ra.dst().len()).isZero();
        assertThat(ra.gateway().toString()).isEqualTo("fe80::1");
        assertThat(ra.dev()).isEqualTo("eth0");
        assertThat(ra.metric()).isEqualTo(1024);
        assertThat(ra.text()).isEqualTo("default via fe80::1 dev eth0 metric 1024");   // as the trace quotes routes: no proto, no expiry
    }
}
