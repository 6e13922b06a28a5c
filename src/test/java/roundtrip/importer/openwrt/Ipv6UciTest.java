package roundtrip.importer.openwrt;

import org.junit.jupiter.api.Test;
import roundtrip.importer.HostBuilder;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.nft.NftRuleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenWrt's IPv6 in /etc/config/network: ULA prefix assignment, ip6addr/ip6gw, route6/rule6, wan6, fw4's family (issue 10). */
class Ipv6UciTest {
    /** As a fresh OpenWrt writes it (a random ULA /48 in globals, lan given a /60 of it), with a guest network and a wan6. */
    static final String NETWORK = """
            config interface 'loopback'
            	option device 'lo'
            	option proto 'static'
            	option ipaddr '127.0.0.1'
            	option netmask '255.0.0.0'

            config globals 'globals'
            	option ula_prefix 'fd5e:1a2b:3c4d::/48'

            config device
            	option name 'br-lan'
            	option type 'bridge'
            	list ports 'lan1'
            	list ports 'lan2'

            config interface 'lan'
            	option device 'br-lan'
            	option proto 'static'
            	option ipaddr '192.168.1.1'
            	option netmask '255.255.255.0'
            	option ip6assign '60'

            config interface 'guest'
            	option device 'lan3'
            	option proto 'static'
            	option ipaddr '192.168.3.1/24'
            	option ip6assign '64'
            	option ip6hint '20'

            config interface 'wan'
            	option device 'wan'
            	option proto 'static'
            	option ipaddr '203.0.113.2/24'
            	option gateway '203.0.113.1'
            	list ip6addr '2001:db8:f::2/64'
            	option ip6gw '2001:db8:f::1'

            config interface 'wan6'
            	option device '@wan'
            	option proto 'dhcpv6'

            config route6
            	option interface 'lan'
            	option target '2001:db8:99::/48'
            	option gateway 'fd5e:1a2b:3c4d::5'

            config route
            	option interface 'lan'
            	option target '2001:db8:98::/48'

            config rule6
            	option src 'fd5e:1a2b:3c4d:20::/64'
            	option lookup '100'
            	option priority '200'

            config interface 'wg0'
            	option proto 'wireguard'
            	option private_key 'QjwXHZs9OgFOv4tWLxH5JgsDqPrab79gMxIL9Gax5ZY='
            	list addresses 'fd00:77::1/64'

            config wireguard_wg0
            	option public_key 'zQtfeu5hBQyZQGhY/utfIhTzVyoIMy49Ie8GzfkLeV0='
            	option endpoint_host '2001:db8:55::1'
            	option endpoint_port '51820'
            	option route_allowed_ips '1'
            	list allowed_ips 'fd00:77::/64'
            	list allowed_ips '2001:db8:66::/48'
            """;

    static Host router(String network, String firewall) {
        HostBuilder b = new HostBuilder("r", "test", 1);
        UciReader.read(b, Uci.parse("network", network, 1), firewall == null ? null : Uci.parse("firewall", firewall, 1));
        return b.build();
    }

    @Test
    void theUlaPrefixIsAssignedAsNetifdDoes() {
        Host r = router(NETWORK, null);
        // the largest assignment first, the lowest free /60; the guest's hint picks the /64 number 0x20
        assertThat(r.iface("br-lan").addresses(Ip.Family.IPV6)).extracting(Object::toString).containsExactly("fd5e:1a2b:3c4d::1/60");
        assertThat(r.iface("lan3").addresses(Ip.Family.IPV6)).extracting(Object::toString).containsExactly("fd5e:1a2b:3c4d:20::1/64");
        assertThat(r.routes()).extracting(Route::text).contains("unreachable fd5e:1a2b:3c4d::/48 metric 2147483647",
                "fd5e:1a2b:3c4d::/60 dev br-lan metric 256", "default via 2001:db8:f::1 dev wan metric 1024");
    }

    @Test
    void ip6ifaceidIsTheHostPartOfTheAssignedAddress() {
        Host r = router(NETWORK.replace("option ip6hint '20'", "option ip6hint '20'\n\toption ip6ifaceid '::5:4:3:2'"), null);
        assertThat(r.iface("lan3").addresses(Ip.Family.IPV6)).extracting(Object::toString).containsExactly("fd5e:1a2b:3c4d:20:5:4:3:2/64");
        assertThat(r.iface("br-lan").addresses(Ip.Family.IPV6)).extracting(Object::toString).containsExactly("fd5e:1a2b:3c4d::1/60");
    }

    @Test
    void route6AndRule6AreIpv6sAndAnIpv6RouteSectionIsReported() {
        Host r = router(NETWORK, null);
        assertThat(r.routes()).extracting(Route::text).contains("2001:db8:99::/48 via fd5e:1a2b:3c4d::5 dev br-lan metric 1024");
        assertThat(r.routes()).extracting(Route::text).noneMatch(t -> t.startsWith("2001:db8:98::"));
        assertThat(r.rules()).filteredOn(x -> x.priority() == 200).extracting(x -> x.family() + " " + x.text())
                .containsExactly("IPV6 200:\tfrom fd5e:1a2b:3c4d:20::/64 lookup 100");
        assertThat(r.problems()).extracting((p -> p.message().english())).contains("config route with an IPv6 target: netifd takes IPv4 routes only "
                + "in route sections and ignores this one (write it as config route6)");
    }

    @Test
    void anIpv6AddressInIpaddrIsReported() {
        Host r = router(NETWORK.replace("option ipaddr '192.168.3.1/24'", "option ipaddr '192.168.3.1/24'\n\tlist ipaddr 'fd00:3::1/64'")
                .replace("option ipaddr '192.168.3.1/24'", "list ipaddr '192.168.3.1/24'"), null);
        assertThat(r.iface("lan3").addresses()).extracting(Object::toString).doesNotContain("fd00:3::1/64");
        assertThat(r.problems()).extracting((p -> p.message().english())).contains("ipaddr 'fd00:3::1/64' of interface 'guest' is an IPv6 address, "
                + "which netifd refuses there (it reads ipaddr as IPv4, INVALID_ADDRESS, and may leave the interface down): "
                + "not loaded (write it as list ip6addr)");
    }

    @Test
    void wan6IsReportedNotGuessed() {
        Host r = router(NETWORK, null);
        assertThat(r.problems()).extracting(Problem::toString).anyMatch(p -> p.startsWith("network:38: interface 'wan6' (proto dhcpv6) "
                + "learns its IPv6 at run time on wan: its addresses, default route and delegated prefix are not in the configuration"));
        assertThat(r.iface("wan").addresses(Ip.Family.IPV6)).extracting(Object::toString).containsExactly("2001:db8:f::2/64");
    }

    @Test
    void aWireGuardPeerAtAnIpv6EndpointKeepsItsHostRouteViaIp6gw() {
        Host r = router(NETWORK, null);
        WireGuardConfig wg = (WireGuardConfig) r.tunnels().get(0);
        assertThat(wg.peers().get(0).endpointAddr()).isEqualTo(Ip.parse("2001:db8:55::1"));
        assertThat(r.routes()).extracting(Route::text).contains("2001:db8:55::1 via 2001:db8:f::1 dev wan metric 1024",
                "2001:db8:66::/48 dev wg0 metric 1024");
    }

    @Test
    void ip6assignWithoutAPrefixAndBadValuesAreSaid() {
        Host r = router(NETWORK.replace("config globals 'globals'\n\toption ula_prefix 'fd5e:1a2b:3c4d::/48'\n", "")
                .replace("option gateway 'fd5e:1a2b:3c4d::5'", ""), null);
        assertThat(r.iface("br-lan").addresses(Ip.Family.IPV6)).isEmpty();
        assertThat(r.problems()).extracting((p -> p.message().english())).anyMatch(m -> m.startsWith("ip6assign: no ula_prefix or ip6prefix to assign from"));
        assertThatThrownBy(() -> router(NETWORK.replace("fd5e:1a2b:3c4d::/48", "fd5e:1a2b::/129"), null))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("network:8: ula_prefix: not an IPv6 prefix of at most 64 bits: fd5e:1a2b::/129"));
    }

    @Test
    void fw4RulesOfOneFamilyMatchOnlyIt() {
        Host r = router(NETWORK, """
                config defaults
                	option input 'REJECT'
                	option output 'ACCEPT'
                	option forward 'REJECT'

                config zone
                	option name 'wan'
                	list network 'wan'
                	list network 'wan6'
                	option input 'REJECT'
                	option forward 'REJECT'

                config rule
                	option name 'Allow-SSH-v6'
                	option src 'wan'
                	option proto 'tcp'
                	option dest_port '22'
                	option family 'ipv6'
                	option target 'ACCEPT'
                """);
        String rules = UciReaderTest.text((NftRuleset) r.firewall());
        assertThat(rules).contains("input_wan: meta nfproto ipv6 tcp dport 22");
    }
}
