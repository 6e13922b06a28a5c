package roundtrip.netfilter;

import org.junit.jupiter.api.Test;
import roundtrip.model.Packet;
import roundtrip.netfilter.iptables.IptablesSaveParser;
import roundtrip.netfilter.nft.NftInput;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The port comparisons rulesets are read for, as data (issue 13 item 4): each cuts the port space at its ends. */
class PortCutsTest {
    private static List<String> classes(PortCuts c, int proto) {
        return c.classes(proto).stream().map(PortCuts.PortClass::toString).toList();
    }

    @Test void theClassesCoverEveryPortOnceWithoutCuts() {
        PortCuts c = new PortCuts();
        assertThat(classes(c, Packet.TCP)).containsExactly("1-65535");
        c.port(Packet.TCP, 65535);
        c.range(0, 1, 10);
        assertThat(classes(c, Packet.TCP)).containsExactly("1-10", "11-65534", "65535");
        assertThat(classes(c, Packet.UDP)).containsExactly("1-10", "11-65535");
        assertThat(c.exact()).isTrue();
    }

    @Test void iptablesPortsMultiportConntrackAndSets() {
        String save = """
                *nat
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -p tcp -m tcp --dport 8443 -j DNAT --to-destination 10.0.0.5:443
                COMMIT
                *filter
                :INPUT DROP [0:0]
                -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
                -A INPUT -p tcp -m tcp ! --dport 8000:8080 -j ACCEPT
                -A INPUT -p udp -m multiport --dports 53,5000:5010 -j ACCEPT
                -A INPUT -p udp -m udp --sport 123 -j ACCEPT
                -A INPUT -m conntrack --ctproto tcp --ctorigdstport 3389 -j ACCEPT
                COMMIT
                """;
        PortCuts c = new PortCuts();
        IptablesSaveParser.parse("iptables-save.txt", save).portCuts(c);
        assertThat(classes(c, Packet.TCP)).containsExactly("1-21", "22", "23-3388", "3389", "3390-7999", "8000-8080", "8081-8442",
                "8443", "8444-65535");
        assertThat(classes(c, Packet.UDP)).containsExactly("1-52", "53", "54-122", "123", "124-4999", "5000-5010", "5011-65535");
        assertThat(c.exact()).isTrue();
    }

    @Test void anIpsetWithPortsWhoseMembersAreUnknownMakesTheClassesInexact() {
        PortCuts c = new PortCuts();
        IptablesSaveParser.parse("iptables-save.txt", """
                *filter
                :INPUT ACCEPT [0:0]
                -A INPUT -m set --match-set allowed dst,dst -j ACCEPT
                COMMIT
                """).portCuts(c);
        assertThat(c.exact()).isFalse();
        assertThat(c.inexactReasons().get(0).english()).contains("allowed");
    }

    @Test void nftValuesRangesSetsConcatenationsAndMaps() {
        String text = """
                table inet f {
                  set ports { type inet_service; flags interval; elements = { 8000-8080, 9000 } }
                  set svc { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 2222, 10.0.0.2 . 4443 } }
                  chain input { type filter hook input priority 0; policy drop;
                    tcp dport 22 accept
                    tcp dport { 80, 443 } accept
                    udp sport != 1000-2000 accept
                    meta l4proto { tcp, udp } th dport 53 accept
                    tcp dport @ports accept
                    ip daddr . tcp dport @svc accept
                    tcp dport vmap { 25 : drop, 110 : accept }
                  }
                  chain pre { type nat hook prerouting priority -100;
                    dnat ip to tcp dport map { 8443 : 10.0.0.5 . 443 }
                  }
                }
                """;
        PortCuts c = new PortCuts();
        NftInput.text("ruleset.nft", text, n -> n).ruleset(t -> false).portCuts(c);
        assertThat(classes(c, Packet.TCP)).contains("22", "25", "53", "80", "110", "443", "2222", "4443", "8000-8080", "8081-8442",
                "8443", "9000");
        assertThat(classes(c, Packet.UDP)).containsExactly("1-52", "53", "54-999", "1000-2000", "2001-65535");
        assertThat(c.exact()).isTrue();
    }

    @Test void anNftComparisonWithSomethingThatIsNotAConstantIsSaid() {
        PortCuts c = new PortCuts();
        NftInput.text("ruleset.nft", """
                table ip f {
                  chain input { type filter hook input priority 0;
                    tcp dport @missing accept
                  }
                }
                """, n -> n).ruleset(t -> false).portCuts(c);
        assertThat(c.exact()).isFalse();
    }
}
