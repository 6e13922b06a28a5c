package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.model.Prefix;

import static org.assertj.core.api.Assertions.assertThat;

/** The CCD line and the server's route line a fix writes, in OpenVPN's words for each family (f-ovpn-ipv6-no-iroute). */
class OpenVpnIrouteLineTest {
    @Test void ipv4TakesANetmaskIpv6APrefixLength() {
        Change.OpenVpnIroute v4 = new Change.OpenVpnIroute("srv", "tun0", "server.conf", "ccd", "cli", Prefix.parse("192.168.20.0/24"));
        assertThat(v4.command()).isEqualTo("echo 'iroute 192.168.20.0 255.255.255.0' >> ccd/cli");
        assertThat(v4.routeLine()).isEqualTo("route 192.168.20.0 255.255.255.0");
        Change.OpenVpnIroute v6 = new Change.OpenVpnIroute("srv", "tun0", "server.conf", "ccd", "cli", Prefix.parse("fd20::/64"));
        assertThat(v6.command()).isEqualTo("echo 'iroute-ipv6 fd20::/64' >> ccd/cli");
        assertThat(v6.routeLine()).isEqualTo("route-ipv6 fd20::/64");
    }
}
