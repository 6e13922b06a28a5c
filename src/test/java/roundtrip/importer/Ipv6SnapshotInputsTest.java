package roundtrip.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.NdpProxy;
import roundtrip.model.Problem;
import roundtrip.model.Sysctls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IPv6 parts of a collected host: ip6-neigh-proxy.json and IPv6's sysctls (issue 10). */
class Ipv6SnapshotInputsTest {
    @TempDir Path tmp;

    /** A host as the collector writes it: the NDP proxy file as `ip -6 -j neigh show proxy` printed it in a namespace. */
    private Path host(String proxies) throws IOException {
        Path h = tmp.resolve("snap/gw");
        Files.createDirectories(h);
        Files.writeString(h.resolve("ip-addr.json"), """
                [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"link_type":"loopback","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo"}]},
                {"ifindex":2,"ifname":"v0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"link_type":"ether","address":"52:54:00:aa:bb:01","addr_info":[{"family":"inet6","local":"2001:db8::1","prefixlen":64,"scope":"global"}]}]
                """);
        Files.writeString(h.resolve("ip-route.json"), """
                [{"type":"local","dst":"127.0.0.1","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]}]
                """);
        Files.writeString(h.resolve("sysctl.txt"), """
                net.ipv4.ip_forward = 0
                net.ipv6.conf.all.forwarding = 0
                net.ipv6.conf.v0.forwarding = 1
                net.ipv6.conf.v0.force_forwarding = 1
                net.ipv6.conf.v0.proxy_ndp = 1
                net.ipv6.conf.eth0/100.force_forwarding = 1
                """);
        if (proxies != null) Files.writeString(h.resolve("ip6-neigh-proxy.json"), proxies);
        return h;
    }

    @Test
    void ndpProxyEntriesAreReadWithTheirLines() throws IOException {
        Path h = host("""
                [{"dst":"2001:db8::5","dev":"v0","proxy":null},
                {"dst":"fe80::9","dev":"v0","proxy":null}]
                """);
        Host gw = SnapshotLoader.loadHost(h, "gw", "snap/gw");
        assertThat(gw.ndpProxies()).extracting(p -> p.address() + " " + p.dev() + " " + p.source().file() + ":" + p.source().line())
                .containsExactly("2001:db8::5 v0 snap/gw/ip6-neigh-proxy.json:1", "fe80::9 v0 snap/gw/ip6-neigh-proxy.json:2");
        // a copy of the host keeps them
        assertThat(gw.withManaged(false).ndpProxies()).extracting(NdpProxy::dev).containsExactly("v0", "v0");
    }

    @Test
    void noFileMeansNoEntriesAndAnEmptyListIsWhatIpPrintsForNone() throws IOException {
        assertThat(SnapshotLoader.loadHost(host(null), "gw", "snap/gw").ndpProxies()).isEmpty();
        Files.delete(tmp.resolve("snap/gw/sysctl.txt"));
        assertThat(SnapshotLoader.loadHost(host("[]"), "gw", "snap/gw").ndpProxies()).isEmpty();
    }

    @Test
    void anIpv4EntryIsReportedAndAnUnknownDeviceIsAnError() throws IOException {
        // `ip -j neigh show proxy` without -6 lists the ARP proxy entries too
        Host gw = SnapshotLoader.loadHost(host("[{\"dst\":\"10.0.0.5\",\"dev\":\"v0\",\"proxy\":null}]"), "gw", "snap/gw");
        assertThat(gw.ndpProxies()).isEmpty();
        assertThat(gw.problems()).extracting(Problem::toString).contains("snap/gw/ip6-neigh-proxy.json:1: an IPv4 proxy entry in the IPv6 "
                + "neighbour proxy table (not the output of `ip -6 -j neigh show proxy`?): not read: 10.0.0.5 dev v0 proxy");
        assertThatThrownBy(() -> SnapshotLoader.loadHost(host("[{\"dst\":\"2001:db8::5\",\"dev\":\"eth9\"}]"), "gw", "snap/gw"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("snap/gw/ip6-neigh-proxy.json:1: proxy entry on device \"eth9\", which ip-addr.json does not list"));
        assertThatThrownBy(() -> SnapshotLoader.loadHost(host("[{\"dst\":\"2001:db8::x\",\"dev\":\"v0\"}]"), "gw", "snap/gw"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("snap/gw/ip6-neigh-proxy.json:1: not an IPv6 address: 2001:db8::x"));
    }

    /** Checked in namespaces (kernel 6.18): all.forwarding=0 and per-device forwarding=1 forwards nothing; force_forwarding does. */
    @Test
    void ipv6ForwardingIsConfAllOrTheIncomingDevicesForceForwarding() throws IOException {
        Sysctls s = SnapshotLoader.loadHost(host(null), "gw", "snap/gw").sysctls();
        assertThat(s.get("net.ipv6.conf.v0.proxy_ndp")).isEqualTo("1");
        assertThat(s.forwarding6("v0")).isTrue();
        assertThat(s.forwarding6("v1")).isFalse();
        assertThat(s.forwarding6("eth0.100")).isTrue();
        assertThat(SysctlReader.read("s.txt", "net.ipv6.conf.all.forwarding = 1\n").forwarding6("v1")).isTrue();
        assertThat(Sysctls.empty().forwarding6("v0")).isFalse();
    }

    /** A VLAN device's keys: sysctl(8) and the collector write eth0/100, collectors before wrote eth0.100: both are read. */
    @Test
    void aDottedDevicesKeysAreReadInBothSpellings() {
        Sysctls old = SysctlReader.read("s.txt", "net.ipv4.conf.eth0.100.rp_filter = 2\nnet.ipv6.conf.eth0.100.force_forwarding = 1\n");
        assertThat(old.rpFilter("eth0.100")).isEqualTo(2);
        assertThat(old.forwarding6("eth0.100")).isTrue();
        assertThat(old.get("net.ipv4.conf.eth0/100.rp_filter")).isEqualTo("2");
        Sysctls now = SysctlReader.read("s.txt", "net.ipv4.conf.eth0/100.rp_filter = 1\nnet.ipv4.conf.all.rp_filter = 0\n");
        assertThat(now.rpFilter("eth0.100")).isEqualTo(1);
        assertThat(now.get("net.ipv4.conf.all.rp_filter")).isEqualTo("0");
    }
}
