package roundtrip.netfilter;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Host;
import roundtrip.model.Problem;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules naming a device the host does not have (or has down), or SNAT to an address it does not own, are warned at the rule. */
class AbsentNamesTest {
    private static Host host(String iptables) {
        String yaml = """
                hosts:
                  pi:
                    interfaces: {eth0: 192.168.1.20/24, wlan1: {up: false}}
                    iptables: |
                """ + iptables.indent(6);
        return NetworkFileReader.parse("net.yaml", yaml, Path.of(".")).network().host("pi");
    }

    private static List<String> warnings(Host h) { return h.problems().stream().map(Problem::toString).toList(); }

    @Test
    void aDeviceTheHostDoesNotHaveIsWarnedAtItsRule() {
        Host h = host("""
                *nat
                -A POSTROUTING -s 10.8.0.0/24 -o wlan0 -j MASQUERADE
                -A POSTROUTING -s 10.9.0.0/24 -o eth+ -j MASQUERADE
                -A POSTROUTING -s 10.7.0.0/24 -o ppp+ -j MASQUERADE
                -A POSTROUTING -s 10.5.0.0/24 ! -o wlan0 -j MASQUERADE
                COMMIT
                """);
        assertThat(warnings(h)).containsExactly(
                "net.yaml:6: no interface \"wlan0\" on pi: the rule names a device the host does not have, so it matches nothing "
                        + "until one exists: -A POSTROUTING -s 10.8.0.0/24 -o wlan0 -j MASQUERADE",
                "net.yaml:8: no interface \"ppp+\" on pi: the rule names devices no interface's name begins with, so it matches "
                        + "nothing until one exists: -A POSTROUTING -s 10.7.0.0/24 -o ppp+ -j MASQUERADE");
    }

    @Test
    void aDeviceThatIsDownIsWarnedButSnatAddressesAreLeftToTheDiagnosis() {
        Host h = host("""
                *filter
                -A FORWARD -i wlan1 -j ACCEPT
                COMMIT
                *nat
                -A POSTROUTING -o eth0 -j SNAT --to-source 203.0.113.9
                -A POSTROUTING -o eth0 -j SNAT --to-source 192.168.1.20
                COMMIT
                """);
        assertThat(warnings(h)).containsExactly(
                "net.yaml:6: the rule names wlan1 on pi, which is down: no packet comes in by it now: -A FORWARD -i wlan1 -j ACCEPT");
    }

    @Test
    void nftIifnameAndOifnameAreWarnedTheSameWay() {
        String yaml = """
                hosts:
                  gw:
                    interfaces: {eth0: 192.168.1.1/24, wg0: {up: false}}
                    nft: |
                      table inet filter {
                        chain forward {
                          type filter hook forward priority filter; policy drop;
                          iifname "wlan0" accept
                          oifname { "eth0", "ppp*" } accept
                          iifname != "tun0" counter
                          iifname "eth*" oifname "wg0" accept
                          iifname vmap { "lan0" : accept, "eth0" : drop }
                        }
                      }
                """;
        Host h = NetworkFileReader.parse("net.yaml", yaml, Path.of(".")).network().host("gw");
        assertThat(warnings(h)).containsExactly(
                "net.yaml:8: no interface \"wlan0\" on gw: the rule names a device the host does not have, so it matches nothing "
                        + "until one exists: iifname \"wlan0\" accept",
                "net.yaml:9: no interface \"ppp*\" on gw: the rule names devices no interface's name begins with, so it matches "
                        + "nothing until one exists: oifname { \"eth0\", \"ppp*\" } accept",
                "net.yaml:11: the rule names wg0 on gw, which is down: no packet leaves by it now: iifname \"eth*\" oifname \"wg0\" accept",
                "net.yaml:12: no interface \"lan0\" on gw: the rule names a device the host does not have, so it matches nothing "
                        + "until one exists: iifname vmap { \"lan0\" : accept, \"eth0\" : drop }");
    }
}
