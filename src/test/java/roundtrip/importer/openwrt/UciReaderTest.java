package roundtrip.importer.openwrt;

import org.junit.jupiter.api.Test;
import roundtrip.importer.HostBuilder;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.WireGuardReader;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Route;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UciReaderTest {
    static final Path DIR = Path.of("src/test/resources/netfile");

    static Map<String, String> verdicts(NetworkFileReader.Result r) {
        Simulator sim = new Simulator(r.network());
        Map<String, String> out = new LinkedHashMap<>();
        for (ProbeReader.LocatedProbe p : r.probes()) out.put(p.probe().id(), sim.run(p.probe(), false).verdict().name());
        return out;
    }

    static Map<String, String> expected(NetworkFileReader.Result r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ProbeReader.LocatedProbe p : r.probes()) out.put(p.probe().id(), p.probe().expect());
        return out;
    }

    static NetworkFileReader.Result read(String name) { return NetworkFileReader.read(DIR.resolve(name)); }

    @Test void s11OpenWrtRouterFromUciGivesTheSameVerdictsAsTheHandWrittenIptables() {
        NetworkFileReader.Result uci = read("s11-openwrt-broken.yaml");
        NetworkFileReader.Result hand = read("s11-handwritten.yaml");
        assertThat(verdicts(uci)).isEqualTo(expected(uci)).isEqualTo(verdicts(hand));
        assertThat(verdicts(uci)).containsEntry("ssh-wan", "REPLY_LOST").containsEntry("lan-to-op2", "ROUND_TRIP_OK");
    }

    @Test void s11FixedWithAUciSourceRuleAndATable() {
        NetworkFileReader.Result fixed = read("s11-openwrt-fixed.yaml");
        assertThat(verdicts(fixed)).isEqualTo(expected(fixed)).containsEntry("ssh-wan", "ROUND_TRIP_OK");
        Host op2 = fixed.network().host("op2");
        assertThat(op2.rules()).anySatisfy(r -> assertThat(r.text()).isEqualTo("32765:\tfrom 203.0.113.2 lookup 100"));
        assertThat(op2.routes()).anySatisfy(r -> assertThat(r.text()).isEqualTo("default via 203.0.113.1 dev eth1 table 100"));
    }

    @Test void s15PreventNatLeakageDropsTheInvalidAnswerUnlessMasqAllowInvalid() {
        NetworkFileReader.Result uci = read("s15/network.yaml");
        NetworkFileReader.Result hand = read("s15/handwritten.yaml");
        assertThat(verdicts(uci)).isEqualTo(expected(uci)).isEqualTo(verdicts(hand))
                .containsEntry("remote-to-king", "REPLY_LOST");
        NetworkFileReader.Result fixed = read("s15-fixed/network.yaml");
        assertThat(verdicts(fixed)).isEqualTo(expected(fixed)).containsEntry("remote-to-king", "ROUND_TRIP_OK");
    }

    @Test void s15TheDropQuotesTheMasqLineOfTheFirewallFile() {
        NetworkFileReader.Result uci = read("s15/network.yaml");
        var probe = uci.probes().get(0).probe();
        var result = new Simulator(uci.network()).run(probe, true);
        assertThat(result.reply().lostAt().toString()).contains("s15/op1-config/firewall:20");
    }

    @Test void aZoneIsAddressedAsUciShowsIt() {
        Uci fw = Uci.parse("firewall", """
                config zone
                	option name 'lan'

                config zone 'guestzone'
                	option name 'guest'

                config zone
                	option name 'old'
                	option enabled '0'

                config zone
                	option name 'wan'
                	list network 'wan'
                	option output 'ACCEPT'
                	option masq '1'
                	option masq_allow_invalid '0'
                """, 1);
        Fw4Config c = new Fw4Config(fw, Map.of("wan", new Fw4Translation.Network("eth1", List.of())));
        // anonymous sections are @zone[N], counted over every zone section (named and disabled ones too)
        assertThat(c.zoneSection("lan")).isEqualTo("@zone[0]");
        assertThat(c.zoneSection("guest")).isEqualTo("guestzone");
        assertThat(c.zoneSection("wan")).isEqualTo("@zone[3]");
        assertThat(c.zoneSection("old")).isNull();
        assertThat(c.zoneSection("dmz")).isNull();
        assertThat(c.zoneOption("wan", "masq_allow_invalid")).isEqualTo("0");

        Fw4Config set = c.withZoneOption("wan", "masq_allow_invalid", "1");
        assertThat(set.zoneOption("wan", "masq_allow_invalid")).isEqualTo("1");
        assertThat(c.zoneOption("wan", "masq_allow_invalid")).isEqualTo("0");
        assertThat(set.zoneSection("wan")).isEqualTo("@zone[3]");
        String broken = text((NftRuleset) c.ruleset(new ArrayList<>()));
        String fixed = text((NftRuleset) set.ruleset(new ArrayList<>()));
        assertThat(broken).contains("accept_to_wan: meta nfproto ipv4 oifname \"eth1\" ct state invalid counter drop comment \"!fw4: Prevent NAT leakage\"");
        assertThat(fixed).doesNotContain("ct state invalid").contains("accept_to_wan: oifname \"eth1\" counter accept");
        assertThatThrownBy(() -> c.withZoneOption("dmz", "masq", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test void theRouterKeepsTheFirewallConfigItsRulesetCameFrom() {
        Host op1 = read("s15/network.yaml").network().host("op1");
        assertThat(op1.firewallConfig()).isNotNull();
        assertThat(op1.firewallConfig().file()).endsWith("s15/op1-config/firewall");
        assertThat(op1.firewallConfig().zoneSection("wan")).isEqualTo("@zone[1]");
        assertThat(read("s15/network.yaml").network().host("op2").firewallConfig()).isNull();
    }

    private static HostBuilder builder() { return new HostBuilder("r", "test", 1); }

    private static final String NETWORK = """
            config device
            	option name 'br-lan'
            	option type 'bridge'
            	list ports 'lan1'

            config interface 'lan'
            	option device 'br-lan'
            	option proto 'static'
            	option ipaddr '192.168.1.1'
            	option netmask '255.255.255.0'

            config interface 'wan'
            	option device 'eth1'
            	option proto 'static'
            	option ipaddr '203.0.113.2/24'
            	option gateway '203.0.113.1'
            """;

    /** The rules of a generated ruleset, one "CHAIN: RULE" per line, as nft lists them. */
    static String text(NftRuleset rs) {
        StringBuilder sb = new StringBuilder();
        for (NftRuleset.RuleInfo r : rs.rules()) sb.append(r.chain()).append(": ").append(r.source().text()).append('\n');
        return sb.toString();
    }

    private static String rules(String firewall) {
        HostBuilder b = builder();
        UciReader.read(b, Uci.parse("network", NETWORK, 1), Uci.parse("firewall", firewall, 1));
        return text((NftRuleset) b.build().firewall());
    }

    private static final String ZONES = """
            config defaults
            	option input 'REJECT'
            	option output 'ACCEPT'
            	option forward 'REJECT'

            config zone
            	option name 'lan'
            	list network 'lan'
            	option input 'ACCEPT'
            	option output 'ACCEPT'
            	option forward 'ACCEPT'

            config zone
            	option name 'wan'
            	list network 'wan'
            	option input 'REJECT'
            	option output 'ACCEPT'
            	option forward 'REJECT'
            	option masq '1'
            """;

    @Test void zonesBecomeFw4sChainsWithPreventNatLeakageOnMasqueradingZones() {
        String text = rules(ZONES + """

                config forwarding
                	option src 'lan'
                	option dest 'wan'
                """);
        assertThat(text).contains(
                "input: ct state vmap { established : accept, related : accept } comment \"!fw4: Handle inbound flows\"",
                "input: iifname \"br-lan\" jump input_lan comment \"!fw4: Handle lan IPv4/IPv6 input traffic\"",
                "forward: iifname \"eth1\" jump forward_wan comment \"!fw4: Handle wan IPv4/IPv6 forward traffic\"",
                "input: jump handle_reject", "forward_lan: jump accept_to_wan comment \"!fw4: Accept lan to wan forwarding\"",
                "input_wan: jump reject_from_wan", "forward_wan: jump reject_to_wan",
                "srcnat: oifname \"eth1\" jump srcnat_wan comment \"!fw4: Handle wan IPv4/IPv6 srcnat traffic\"",
                "srcnat_wan: meta nfproto ipv4 masquerade comment \"!fw4: Masquerade IPv4 wan traffic\"");
        // the invalid drop comes before the accept in the masquerading zone's egress chain
        assertThat(text.indexOf("accept_to_wan: meta nfproto ipv4 oifname \"eth1\" ct state invalid counter drop"))
                .isPositive().isLessThan(text.indexOf("accept_to_wan: oifname \"eth1\" counter accept"));
        assertThat(text).doesNotContain("accept_to_lan: oifname \"br-lan\" ct state invalid");

        String allowInvalid = rules(ZONES.replace("option masq '1'", "option masq '1'\n\toption masq_allow_invalid '1'"));
        assertThat(allowInvalid).doesNotContain("ct state invalid");
        String dropInvalid = rules(ZONES.replace("option forward 'REJECT'\n\nconfig zone", "option forward 'REJECT'\n\toption drop_invalid '1'\n\nconfig zone"));
        assertThat(dropInvalid).contains("forward: ct state vmap { established : accept, related : accept, invalid : drop }")
                .doesNotContain("accept_to_wan: meta nfproto ipv4 oifname \"eth1\" ct state invalid");
    }

    @Test void rulesRedirectsAndNatSections() {
        String text = rules(ZONES + """

                config rule
                	option name 'Allow-SSH'
                	option src 'wan'
                	option dest_port '22'
                	option proto 'tcp'
                	option target 'ACCEPT'

                config rule
                	option name 'Block-NAS'
                	option src 'lan'
                	option dest 'wan'
                	option src_ip '192.168.1.20'
                	option target 'REJECT'

                config redirect
                	option name 'web'
                	option src 'wan'
                	option src_dport '8080'
                	option dest_ip '192.168.1.10'
                	option dest_port '80'
                	option proto 'tcp'

                config nat
                	option name 'snat-vpn'
                	option src 'lan'
                	option src_ip '10.1.1.0/24'
                	option snat_ip '192.168.1.1'
                	option target 'SNAT'
                	option proto 'all'
                """);
        assertThat(text).contains(
                "input_wan: tcp dport 22 counter accept comment \"!fw4: Allow-SSH\"",
                "forward_lan: meta l4proto tcp ip saddr 192.168.1.20 counter jump reject_to_wan comment \"!fw4: Block-NAS\"",
                "forward_lan: meta l4proto udp ip saddr 192.168.1.20 counter jump reject_to_wan comment \"!fw4: Block-NAS\"",
                "dstnat: iifname \"eth1\" jump dstnat_wan comment \"!fw4: Handle wan IPv4/IPv6 dstnat traffic\"",
                "dstnat_wan: meta nfproto ipv4 tcp dport 8080 counter dnat ip to 192.168.1.10:80 comment \"!fw4: web\"",
                "forward_wan: ct status dnat accept comment \"!fw4: Accept port forwards\"",
                "srcnat_lan: ip saddr 10.1.1.0/24 counter snat ip to 192.168.1.1 comment \"!fw4: snat-vpn\"");
    }

    @Test void aPortForwardFromUciReachesTheLanHost() {
        NetworkFileReader.Result r = NetworkFileReader.parse("net.yaml", """
                hosts:
                  router:
                    openwrt:
                      network: |
                %s
                      firewall: |
                %s
                        config redirect
                        	option src 'wan'
                        	option src_dport '8080'
                        	option dest_ip '192.168.1.10'
                        	option dest_port '80'
                        	option proto 'tcp'
                  web:
                    interfaces: {eth0: 192.168.1.10/24}
                    routes: [default via 192.168.1.1]
                    listen: [tcp/80]
                  client:
                    interfaces: {eth0: 203.0.113.1/24}
                segments:
                  lan: [router:lan1, web:eth0]
                  wan: [router:eth1, client:eth0]
                probes:
                  - {id: forward, from: client, to: 203.0.113.2, proto: tcp, dport: 8080, target: web}
                  - {id: wan-ssh, from: client, to: 203.0.113.2, proto: tcp, dport: 22}
                """.formatted(indent(NETWORK, 8), indent(ZONES, 8)), DIR);
        assertThat(verdicts(r)).containsEntry("forward", "ROUND_TRIP_OK").containsEntry("wan-ssh", "REPLY_LOST");
    }

    private static String indent(String text, int n) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) sb.append(line.isEmpty() ? "" : " ".repeat(n) + line).append('\n');
        return sb.toString().stripTrailing();
    }

    @Test void wireGuardSiteToSiteFromUci() {
        String key1 = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
        String key2 = "wKbq7Dn1L3+Q2sPqYb0Ypcb0yYJ5F1MPeyZ2bMTc3kY=";
        String pub1 = WireGuardReader.derivePublicKey(key1, "t", 1), pub2 = WireGuardReader.derivePublicKey(key2, "t", 1);
        String yaml = """
                hosts:
                  op1:
                    openwrt:
                      network: |
                        config interface 'lan'
                        	option device 'lan1'
                        	option proto 'static'
                        	option ipaddr '192.168.35.1/24'
                        config interface 'wan'
                        	option device 'wan'
                        	option proto 'static'
                        	option ipaddr '198.51.100.1/24'
                        config interface 'wg_s2s'
                        	option proto 'wireguard'
                        	option private_key '%s'
                        	option listen_port '51820'
                        	list addresses '10.9.0.1/24'
                        config wireguard_wg_s2s
                        	option public_key '%s'
                        	list allowed_ips '10.9.0.2/32'
                        	list allowed_ips '192.168.36.0/24'
                        	option endpoint_host '198.51.100.2'
                        	option endpoint_port '51820'
                        	option route_allowed_ips '1'
                  op2:
                    openwrt:
                      network: |
                        config interface 'lan'
                        	option device 'lan1'
                        	option proto 'static'
                        	option ipaddr '192.168.36.1/24'
                        config interface 'wan'
                        	option device 'wan'
                        	option proto 'static'
                        	option ipaddr '198.51.100.2/24'
                        config interface 'wg_s2s'
                        	option proto 'wireguard'
                        	option private_key '%s'
                        	option listen_port '51820'
                        	list addresses '10.9.0.2/24'
                        config wireguard_wg_s2s
                        	option public_key '%s'
                        	list allowed_ips '10.9.0.1/32'
                        	list allowed_ips '192.168.35.0/24'
                        	option route_allowed_ips '1'
                  pc35:
                    interfaces: {eth0: 192.168.35.10/24}
                    routes: [default via 192.168.35.1]
                  pc36:
                    interfaces: {eth0: 192.168.36.10/24}
                    routes: [default via 192.168.36.1]
                    listen: [tcp/22]
                segments:
                  internet: [op1:wan, op2:wan]
                  lan35: [op1:lan1, pc35:eth0]
                  lan36: [op2:lan1, pc36:eth0]
                probes:
                  - {id: across, from: pc35, to: 192.168.36.10, proto: tcp, dport: 22}
                """.formatted(key1, pub2, key2, pub1);
        NetworkFileReader.Result r = NetworkFileReader.parse("net.yaml", yaml, DIR);
        Host op1 = r.network().host("op1");
        WireGuardConfig wg = (WireGuardConfig) op1.tunnels().get(0);
        assertThat(wg.publicKey()).isEqualTo(pub1);
        assertThat(wg.peers().get(0).endpointPort()).isEqualTo(51820);
        assertThat(op1.routes()).extracting(Route::text).contains("192.168.36.0/24 dev wg_s2s scope link", "10.9.0.2 dev wg_s2s scope link");
        assertThat(op1.iface("wg_s2s").kind()).isEqualTo("wireguard");
        assertThat(verdicts(r)).containsEntry("across", "ROUND_TRIP_OK");
    }

    /**
     * S12-like: a phone on op1's wg0 (10.0.31.0/24) reaches op2's LAN across wg_s2s only when op1 masquerades it:
     * op2's peer AllowedIPs do not include the phones' range, so WireGuard drops their packets on receipt.
     */
    @Test void roadWarriorsCrossTheSiteLinkOnlyWithAUciNatSection() {
        String k1 = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=", k2 = "wKbq7Dn1L3+Q2sPqYb0Ypcb0yYJ5F1MPeyZ2bMTc3kY=";
        String k3 = "gI6EdUSYvn8ugXOt8QQD6Yc+JyiZxIhp3GInSWRfWGE=", k4 = "kFxG4x9iaNxOuN3rh6Xqtc5vYc2dPrMZkKJ8Xb4G2Xg=";
        String p1 = pub(k1), p2 = pub(k2), p3 = pub(k3), p4 = pub(k4);
        String broken = """
                hosts:
                  op1:
                    openwrt:
                      network: |
                        config interface 'lan'
                        	option device 'lan1'
                        	option proto 'static'
                        	option ipaddr '192.168.35.1/24'
                        config interface 'wan'
                        	option device 'wan'
                        	option proto 'static'
                        	option ipaddr '198.51.100.1/24'
                        config interface 'wg_s2s'
                        	option proto 'wireguard'
                        	option private_key '%1$s'
                        	option listen_port '51820'
                        	list addresses '10.9.0.1/24'
                        config wireguard_wg_s2s
                        	option public_key '%2$s'
                        	list allowed_ips '10.9.0.2/32'
                        	list allowed_ips '192.168.36.0/24'
                        	option endpoint_host '198.51.100.2'
                        	option endpoint_port '51820'
                        	option route_allowed_ips '1'
                        config interface 'wg0'
                        	option proto 'wireguard'
                        	option private_key '%5$s'
                        	option listen_port '51821'
                        	list addresses '10.0.31.1/24'
                        config wireguard_wg0
                        	option public_key '%6$s'
                        	list allowed_ips '10.0.31.2/32'
                        	option route_allowed_ips '1'
                FIREWALL
                  op2:
                    openwrt:
                      network: |
                        config interface 'lan'
                        	option device 'lan1'
                        	option proto 'static'
                        	option ipaddr '192.168.36.1/24'
                        config interface 'wan'
                        	option device 'wan'
                        	option proto 'static'
                        	option ipaddr '198.51.100.2/24'
                        config interface 'wg_s2s'
                        	option proto 'wireguard'
                        	option private_key '%3$s'
                        	option listen_port '51820'
                        	list addresses '10.9.0.2/24'
                        config wireguard_wg_s2s
                        	option public_key '%4$s'
                        	list allowed_ips '10.9.0.1/32'
                        	list allowed_ips '192.168.35.0/24'
                        	option route_allowed_ips '1'
                  phone:
                    interfaces:
                      eth0: 198.51.100.50/24
                      wg0: {address: 10.0.31.2/24, kind: wireguard}
                    routes: [192.168.35.0/24 dev wg0, 192.168.36.0/24 dev wg0]
                    wireguard:
                      wg0: |
                        [Interface]
                        PrivateKey = %7$s
                        [Peer]
                        PublicKey = %8$s
                        AllowedIPs = 10.0.31.0/24, 192.168.35.0/24, 192.168.36.0/24
                        Endpoint = 198.51.100.1:51821
                  pc35:
                    interfaces: {eth0: 192.168.35.10/24}
                    routes: [default via 192.168.35.1]
                    listen: [tcp/22]
                  pc36:
                    interfaces: {eth0: 192.168.36.10/24}
                    routes: [default via 192.168.36.1]
                    listen: [tcp/22]
                segments:
                  internet: [op1:wan, op2:wan, phone:eth0]
                  lan35: [op1:lan1, pc35:eth0]
                  lan36: [op2:lan1, pc36:eth0]
                probes:
                  - {id: phone-to-site1, from: phone, to: 192.168.35.10, proto: tcp, dport: 22}
                  - {id: phone-to-site2, from: phone, to: 192.168.36.10, proto: tcp, dport: 22}
                """.formatted(k1, p2, k2, p1, k4, p3, k3, p4);
        NetworkFileReader.Result before = NetworkFileReader.parse("net.yaml", broken.replace("FIREWALL\n", ""), DIR);
        assertThat(verdicts(before)).containsEntry("phone-to-site1", "ROUND_TRIP_OK").containsEntry("phone-to-site2", "REQUEST_LOST");
        var lost = new Simulator(before.network()).run(before.probes().get(1).probe(), true).request().lostAt();
        assertThat(lost.host()).isEqualTo("op2");
        assertThat(lost.toString()).containsIgnoringCase("allowed");
        String firewall = """
                      firewall: |
                        config defaults
                        	option input 'ACCEPT'
                        	option output 'ACCEPT'
                        	option forward 'ACCEPT'
                        config zone
                        	option name 's2s'
                        	list network 'wg_s2s'
                        config nat
                        	option name 'roadwarriors-to-site2'
                        	option src 's2s'
                        	option src_ip '10.0.31.0/24'
                        	option target 'MASQUERADE'
                        	option proto 'all'
                """;
        NetworkFileReader.Result after = NetworkFileReader.parse("net.yaml", broken.replace("FIREWALL\n", firewall), DIR);
        assertThat(verdicts(after)).containsEntry("phone-to-site1", "ROUND_TRIP_OK").containsEntry("phone-to-site2", "ROUND_TRIP_OK");

        // the same by iptables on the router: iptables-nft's table sits next to fw4's, both run by their hooks
        String zonesOnly = firewall.substring(0, firewall.indexOf("config nat")).stripTrailing() + "\n";
        NetworkFileReader.Result fw4Only = NetworkFileReader.parse("net.yaml", broken.replace("FIREWALL\n", zonesOnly), DIR);
        assertThat(verdicts(fw4Only)).containsEntry("phone-to-site2", "REQUEST_LOST");
        var masq = new roundtrip.fix.Change.IptablesRule("op1", "nat", "POSTROUTING", false, "-s 10.0.31.0/24 -o wg_s2s -j MASQUERADE");
        var edited = new roundtrip.fix.Editor().apply(fw4Only.network(), List.of(masq));
        assertThat(edited.host("op1").firewall()).isInstanceOf(roundtrip.netfilter.Ruleset.Combined.class);
        assertThat(new Simulator(edited).run(fw4Only.probes().get(1).probe(), false).verdict().name()).isEqualTo("ROUND_TRIP_OK");
    }

    private static String pub(String privateKey) { return WireGuardReader.derivePublicKey(privateKey, "t", 1); }

    /** libuci's reading, checked with the uci command of openwrt/uci: `uci show` of the same text. */
    @Test void optionsAndListsMergeAsLibuciMergesThem() {
        Uci u = Uci.parse("t", """
                config rule 'a'
                	option x 'one'
                	list x 'two'
                	list y 'l1'
                	option y 'o2'
                	option z 'first'
                	option z 'second'
                	list w 'a b'
                	option v ''
                	option p 'tcp udp'
                """, 1);
        Uci.Section a = u.sections().get(0);
        // t.a.x='one' 'two', t.a.y='o2', t.a.z='second', t.a.w='a b', no v
        assertThat(a.isList("x")).isTrue();
        assertThat(a.list("x")).extracting(Uci.Value::text).containsExactly("one", "two");
        assertThat(a.list("x")).extracting(Uci.Value::line).containsExactly(2, 3);
        assertThat(a.isList("y")).isFalse();
        assertThat(a.get("y")).isEqualTo("o2");
        assertThat(a.get("z")).isEqualTo("second");
        assertThat(a.list("w")).extracting(Uci.Value::text).containsExactly("a b");
        assertThat(a.has("v")).isFalse();
        // an option read as a list (fw4's to_array) splits at spaces
        assertThat(a.list("p")).extracting(Uci.Value::text).containsExactly("tcp", "udp");
        assertThat(a.lineOf("p")).isEqualTo(10);
    }

    @Test void uciErrorsNameTheLine() {
        assertThatThrownBy(() -> Uci.parse("network", "config interface 'lan'\n\toption proto 'static\n", 1))
                .isInstanceOf(InputException.class).satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> Uci.parse("network", "config interface 'lan'\n\tfrobnicate x\n", 10))
                .isInstanceOf(InputException.class).satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(11));
        HostBuilder b = builder();
        assertThatThrownBy(() -> {
            UciReader.read(b, Uci.parse("network", NETWORK + """

                config route
                	option interface 'wan'
                	option target '10.0.0.0/8'
                	option gateway '10.1.1.1'
                """, 1), null);
            b.build();   // gateways are resolved once every address is known, as the kernel has them
        }).isInstanceOf(InputException.class).hasMessageContaining("not on a connected subnet")
                .satisfies(e -> assertThat(((InputException) e).line()).isEqualTo(18));
        // a value fw4 does not accept: fw4 skips the whole section, and says so at the option's line
        HostBuilder typo = builder();
        UciReader.read(typo, Uci.parse("network", NETWORK, 1), Uci.parse("firewall", ZONES.replace("option input 'ACCEPT'", "option input 'MAYBE'"), 1));
        assertThat(typo.problems()).anySatisfy(p -> {
            assertThat(p.source().where()).isEqualTo("firewall:9");
            assertThat(p.message().english()).isEqualTo("option 'input' specifies invalid value 'MAYBE': fw4 skips the section");
        });
        assertThat(text((NftRuleset) typo.build().firewall())).doesNotContain("input_lan");
    }

    @Test void namedTablesComeFromTheHostsTables() {
        NetworkFileReader.Result r = NetworkFileReader.parse("net.yaml", """
                hosts:
                  r:
                    tables: {wan: 100}
                    openwrt:
                      network: |
                        config interface 'wan'
                        	option device 'eth1'
                        	option proto 'static'
                        	option ipaddr '203.0.113.2/24'
                        config rule
                        	option src '203.0.113.2/32'
                        	option lookup 'wan'
                        config route
                        	option interface 'wan'
                        	option target '0.0.0.0/0'
                        	option gateway '203.0.113.1'
                        	option table 'wan'
                """, DIR);
        Host h = r.network().host("r");
        assertThat(h.rules()).anySatisfy(x -> assertThat(x.text()).isEqualTo("32765:\tfrom 203.0.113.2 lookup 100"));
        assertThat(h.routes()).anySatisfy(x -> {
            assertThat(x.text()).isEqualTo("default via 203.0.113.1 dev eth1 table 100");
            assertThat(x.source().where()).isEqualTo("net.yaml:13");   // the config route line
        });
    }

    @Test void dhcpInterfacesAreReportedNotGuessed() {
        HostBuilder b = builder();
        UciReader.read(b, Uci.parse("network", "config interface 'wan'\n\toption device 'eth1'\n\toption proto 'dhcp'\n", 1), null);
        assertThat(b.problems()).anySatisfy(p -> assertThat(p.message().english()).contains("learns its address at run time"));
        assertThat(b.build().iface("eth1").addresses()).isEmpty();
        assertThat(new ArrayList<>(b.build().interfaces().keySet())).containsExactly("lo", "eth1");
    }
}
