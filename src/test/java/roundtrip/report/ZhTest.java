package roundtrip.report;

import org.junit.jupiter.api.Test;
import roundtrip.fix.Change;
import roundtrip.fix.Dialect;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chinese by id on the sentences the stories do not reach: every persistence hint of every kind of change in both
 * dialects (made by the code itself), samples of the fixes' and the lab's sentences, routes, text without an id.
 */
class ZhTest {
    private static final UntranslatedEnglish NONE_VERBATIM = new UntranslatedEnglish(List.of());

    private static void readsInChinese(Message m) {
        String english = m.english(), zh = Zh.text(m);
        assertThat(zh).as(english).isNotEqualTo(english);
        assertThat(NONE_VERBATIM.find(zh)).as(english + "\n  -> " + zh).isNull();
    }

    @Test void everyPersistenceHintOfEveryKindOfChangeInBothDialects() {
        Route route = new Route(100, RouteType.UNICAST, Prefix.parse("10.200.0.0/24"), Ip.parse("10.198.0.10"), "eth0", null,
                0, "global", 0, false, Source.NONE);
        Route main = new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.parse("10.200.0.0/24"), null, "eth0", null,
                0, "link", 0, false, Source.NONE);
        List<Change> changes = List.of(
                new Change.AddRoute("gw", route), new Change.AddRoute("gw", main), new Change.ReplaceRoute("gw", main, route),
                new Change.AddRule("gw", Prefix.parse("10.0.0.0/24"), null, 0x10L, 100),
                new Change.IptablesRule("gw", "nat", "POSTROUTING", false, "-s 10.200.0.0/24 -o eth0 -j MASQUERADE"),
                new Change.IptablesRule("gw", "filter", "FORWARD", true, "-i tun0 -o eth0 -j ACCEPT"),
                new Change.IptablesDelete("gw", "filter", "-A FORWARD -j DROP"),
                new Change.IptablesPolicy("gw", "filter", "FORWARD", "ACCEPT"),
                new Change.SetSysctl("gw", "net.ipv4.ip_forward", "1"),
                new Change.WireGuardAllowedIps("gw", "wg0", "KEb3EMqeOUyMVBDiELqf/HxKlnBqtfdBXabbRLYsUwQ=", 0,
                        List.of(Prefix.parse("10.9.0.2/32")), Prefix.parse("192.168.9.0/24")),
                new Change.OpenVpnIroute("gw", "tun0", "server.conf", "ccd", "vpncli", Prefix.parse("192.168.4.0/24")),
                new Change.OpenVpnSignal("cli", "tun0", "client.conf", "client.pid", "USR1",
                        Message.of(roundtrip.fix.Sentences.SIGNAL_CLIENT_RECONNECTS_FOR_CCD, "cli", "ccd/cli")),
                new Change.OpenVpnSignal("cli", "tun0", null, null, "HUP", Message.of(roundtrip.fix.Sentences.SIGNAL_SERVER_REREADS, "server.conf")),
                new Change.OpenVpnRedirectGateway("cli", "tun0", "client.conf", "client.conf",
                        new roundtrip.model.Source("cli/openvpn/client.conf", 7, "redirect-gateway local"), "redirect-gateway def1"),
                new Change.UciFirewallZoneOption("gw", "wan", "@zone[1]", "masq_allow_invalid", "1", List.of()),
                new Change.UciFirewallZoneOption("gw", "wan", null, "masq_allow_invalid", "1", List.of("nft delete rule inet fw4 accept_to_wan handle 79")),
                new Change.UfwRouteAllow("gw", "tun0", "eth0"), new Change.UfwDefaultRouted("gw"),
                new Change.FirewalldMasquerade("gw", "public", true, false),
                new Change.FirewalldMasquerade("gw", "public", true, true));
        List<Message> hints = new ArrayList<>();
        for (Change c : changes)
            for (Dialect d : Dialect.values()) { hints.add(c.persistence(d)); hints.add(c.persistenceSummary(d)); }
        for (Change c : changes) hints.addAll(c.notes());
        for (Message hint : hints.stream().distinct().toList()) {
            if (hint.english().startsWith("echo '")) { assertThat(Zh.text(hint)).isEqualTo(hint.english()); continue; }   // a command: as written
            readsInChinese(hint);
        }
        // what the admin types stays as written
        assertThat(Zh.text(changes.get(0).persistence(Dialect.LINUX))).contains("`post-up ip route add 10.200.0.0/24 via 10.198.0.10 dev eth0 table 100`");
    }

    @Test void theFixesAndTheLabsSentencesReadInChinese() {
        // the fixes' and the lab's, said by id
        for (Message m : List.of(
                Message.of(roundtrip.fix.Sentences.NO_HOST, "gw"),
                Message.of(roundtrip.fix.Sentences.WG_NOT_A_PEER, "KEb3EMqe", "wg0"),
                Message.of(roundtrip.fix.Sentences.ROUTE_EXISTS, new Message.RouteText("10.200.0.0/24 via 10.198.0.10 dev eth0", null)),
                Message.of(roundtrip.fix.Sentences.NO_WIREGUARD_ON_DEVICE, "wg9"),
                Message.of(roundtrip.fix.Sentences.FIREWALL_NOT_IPTABLES, "gw"),
                Message.of(roundtrip.fix.Sentences.IPTABLES_BAD_RULE, "-A FORWARD -j DROP"),
                Message.of(roundtrip.lab.Sentences.NEEDS_ROOT, "1000"),
                Message.of(roundtrip.lab.Sentences.NETNS_DOES_NOT_WORK),
                Message.of(roundtrip.lab.Sentences.TOOL_NOT_INSTALLED, "tcpdump"),
                Message.of(roundtrip.lab.Sentences.CANNOT_RUN_IP, "No such file or directory")))
            readsInChinese(m);
    }

    @Test void daemonMessagesAndTechnicalTextStayAsWritten() {
        assertThat(Zh.route(new roundtrip.model.Message.RouteText("default via 10.10.10.1 dev tun0 table 1234",
                "32765: from all fwmark 0x1234 lookup 1234"), false))
                .isEqualTo("default via 10.10.10.1 dev tun0 table 1234（经策略路由规则 32765: from all fwmark 0x1234 lookup 1234）");
    }

    @Test void aMessageWithoutAnIdStaysAsWritten() {
        assertThat(Zh.text(Message.text("wg0: Packet has unallowed src IP (10.9.9.9) from peer 7 (198.51.100.9:51820)")))
                .isEqualTo("wg0: Packet has unallowed src IP (10.9.9.9) from peer 7 (198.51.100.9:51820)");
        assertThat(Zh.stage("somewhere")).isEqualTo("somewhere");
    }
}
