package roundtrip.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device's name is one String wherever the model holds it (a route's device, an interface and its master), however
 * the importers made their copies: the per-packet compares of names then end at the identity check.
 */
class DeviceNamesTest {
    @Test
    void aRoutesDeviceAndTheInterfaceShareOneString() {
        String fromAddrJson = new String("eth0".toCharArray()), fromRouteJson = new String("eth0".toCharArray());
        assertThat(fromAddrJson).isNotSameAs(fromRouteJson);
        Interface i = new Interface(fromAddrJson, 2, "veth", new String("br0".toCharArray()), true, false, "", 1500, List.of());
        Route r = new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.parse("10.0.0.0/8"), null, fromRouteJson, null, 0, null,
                0, false, Source.NONE);
        assertThat(r.dev()).isSameAs(i.name()).isEqualTo("eth0");
        assertThat(i.master()).isSameAs(new Interface("br0", 3, "bridge", null, true, false, "", 1500, List.of()).name());
    }
}
