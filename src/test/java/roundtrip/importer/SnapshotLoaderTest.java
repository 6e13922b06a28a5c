package roundtrip.importer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.netfilter.Ruleset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A copy of the real capture, changed one way per test. */
class SnapshotLoaderTest {
    @TempDir Path tmp;
    Path snap;

    @BeforeEach
    void copy() throws IOException {
        snap = tmp.resolve("snap");
        copyTree(RealSnapshotTest.resource("real-lab"), snap);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else Files.copy(p, target);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    void write(String rel, String text) throws IOException {
        Path p = snap.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** Replaces the first occurrence of {@code from} in a file. */
    void edit(String rel, String from, String to) throws IOException {
        Path p = snap.resolve(rel);
        String text = Files.readString(p);
        assertThat(text).contains(from);
        Files.writeString(p, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    InputException loadFails() {
        InputException e = catchThrowableOfType(() -> SnapshotLoader.load(snap), InputException.class);
        assertThat(e).as("an InputException").isNotNull();
        return e;
    }

    @Test
    void filesAreNamedRelativeToTheSnapshotsParent() {
        Network n = SnapshotLoader.load(snap);
        assertThat(n.host("router").routes().get(0).source().file()).isEqualTo("snap/router/ip-route.json");
        Network plain = SnapshotLoader.load(snap, "");
        assertThat(plain.host("router").routes().get(0).source().file()).isEqualTo("router/ip-route.json");
    }

    @Test
    void topologyMemberWithUnknownInterface() throws IOException {
        write("topology.json", "{\"segments\": [\n  {\"name\": \"lan\",\n   \"members\": [\"router:br-lan\",\n     \"nas:eth7\"]}\n]}\n");
        assertThat(loadFails().oneLine()).isEqualTo("snap/topology.json:4: segment \"lan\": host nas has no interface \"eth7\"");
    }

    @Test
    void topologyMemberWithUnknownHost() throws IOException {
        write("topology.json", "{\"segments\": [\n  {\"name\": \"lan\", \"members\": [\"router:br-lan\", \"printer:eth0\"]}\n]}\n");
        assertThat(loadFails().oneLine()).isEqualTo("snap/topology.json:2: host \"printer\" has no directory in the snapshot");
    }

    @Test
    void topologyHostWhoseDirectoryLacksIpAddr() throws IOException {
        Files.delete(snap.resolve("nas/ip-addr.json"));
        InputException e = loadFails();
        assertThat(e.file()).isEqualTo("snap/topology.json");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("host \"nas\" has no nas/ip-addr.json in the snapshot");
    }

    @Test
    void topologyMemberWithoutColon() throws IOException {
        write("topology.json", "{\"segments\": [{\"name\": \"lan\",\n \"members\": [\"router\"]}]}");
        assertThat(loadFails().oneLine()).isEqualTo("snap/topology.json:2: member \"router\" is not host:interface");
    }


    @Test
    void notADirectory() {
        assertThatThrownBy(() -> SnapshotLoader.load(tmp.resolve("nothing-here")))
                .isInstanceOf(InputException.class).hasMessage("not a directory");
    }

    @Test
    void ipRouteIsRequired() throws IOException {
        Files.delete(snap.resolve("nas/ip-route.json"));
        assertThat(loadFails().oneLine()).isEqualTo("snap/nas/ip-route.json: file not found");
    }

    @Test
    void malformedJsonNamesTheLine() throws IOException {
        edit("router/ip-route.json", "\"dst\": \"10.66.0.0/16\",", "\"dst\": \"10.66.0.0/16\"");   // line 126 loses its comma
        InputException e = loadFails();
        assertThat(e.file()).isEqualTo("snap/router/ip-route.json");
        assertThat(e.line()).isEqualTo(127);
        assertThat(e.getMessage()).startsWith("malformed JSON: ").doesNotContain("\n").doesNotContain("com.fasterxml");
    }

    @Test
    void truncatedJson() throws IOException {
        write("router/ip-rule.json", "[ {\n  \"priority\": 0,\n  \"src\": \"all\",\n");
        InputException e = loadFails();
        assertThat(e.file()).isEqualTo("snap/router/ip-rule.json");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).startsWith("malformed JSON: Unexpected end-of-input");
    }

    @Test
    void unknownRouteType() throws IOException {
        edit("router/ip-route.json", "\"type\": \"blackhole\"", "\"type\": \"foo\"");
        assertThat(loadFails().oneLine()).isEqualTo("snap/router/ip-route.json:124: unknown route type \"foo\"");
    }

    @Test
    void badGateway() throws IOException {
        edit("router/ip-route.json", "\"gateway\": \"10.99.99.1\"", "\"gateway\": \"10.0.0\"");
        assertThat(loadFails().oneLine()).isEqualTo("snap/router/ip-route.json:79: not an IPv4 address: 10.0.0");
    }

    @Test
    void gatewayOfTheWrongJsonType() throws IOException {
        edit("router/ip-route.json", "\"gateway\": \"10.99.99.1\"", "\"gateway\": [1]");
        assertThat(loadFails().oneLine()).isEqualTo("snap/router/ip-route.json:79: \"gateway\" must be a string");
    }

    @Test
    void routeThroughAnUnknownDevice() throws IOException {
        edit("router/ip-route.json", "\"dev\": \"vx0\"", "\"dev\": \"vx9\"");
        assertThat(loadFails().oneLine()).isEqualTo(
                "snap/router/ip-route.json:173: route through device \"vx9\", which ip-addr.json does not list");
    }

    @Test
    void routesNotAnArray() throws IOException {
        write("client/ip-route.json", "\n{\"dst\": \"default\"}");
        assertThat(loadFails().oneLine()).isEqualTo("snap/client/ip-route.json:2: expected a JSON array");
    }

    @Test
    void routeEntryNotAnObject() throws IOException {
        write("client/ip-route.json", "[\n\"default\"]");
        assertThat(loadFails().oneLine()).isEqualTo("snap/client/ip-route.json:2: expected a JSON object");
    }

    @Test
    void emptyFile() throws IOException {
        write("client/ip-addr.json", "");
        assertThat(loadFails().oneLine()).isEqualTo("snap/client/ip-addr.json:1: empty file: expected JSON");
    }

    @Test
    void addressWithoutPrefixLength() throws IOException {
        edit("router/ip-addr.json", "\"prefixlen\": 32,", "");
        InputException e = loadFails();
        assertThat(e.file()).isEqualTo("snap/router/ip-addr.json");
        assertThat(e.getMessage()).isEqualTo("address 10.8.0.1 without \"prefixlen\"");
        assertThat(e.line()).isBetween(270, 312);   // inside the tun0 object
    }

    @Test
    void interfaceWithoutName() throws IOException {
        edit("router/ip-addr.json", "\"ifname\": \"vx0\",", "");
        assertThat(loadFails().oneLine()).isEqualTo("snap/router/ip-addr.json:311: missing \"ifname\"");
    }

    @Test
    void unknownRuleAction() throws IOException {
        edit("router/ip-rule.json", "\"action\": \"blackhole\"", "\"action\": \"explode\"");
        assertThat(loadFails().oneLine()).isEqualTo("snap/router/ip-rule.json:48: unknown rule action \"explode\"");
    }

    @Test
    void badFwmark() throws IOException {
        edit("router/ip-rule.json", "\"fwmark\": \"0x2\"", "\"fwmark\": \"0xzz\"");
        assertThat(loadFails().oneLine()).isEqualTo("snap/router/ip-rule.json:22: \"fwmark\" is not a number: 0xzz");
    }

    @Test
    void badSysctlLine() throws IOException {
        edit("nas/sysctl.txt", "net.ipv4.conf.all.forwarding = 0", "net.ipv4.conf.all.forwarding 0");
        assertThat(loadFails().oneLine()).isEqualTo(
                "snap/nas/sysctl.txt:5: expected \"key = value\": net.ipv4.conf.all.forwarding 0");
    }

    @Test
    void badSsLine() throws IOException {
        write("nas/ss-listen.txt", "tcp LISTEN 0 5 0.0.0.0:22 0.0.0.0:*\n\ngarbage here\n");
        assertThat(loadFails().oneLine()).isEqualTo("snap/nas/ss-listen.txt:3: not an ss -Hlntu line: garbage here");
    }

    @Test
    void missingFilesAreAssumedAsTheKernelWouldHaveThemAndNamedInOneWarning() throws IOException {
        Files.delete(snap.resolve("nas/ip-rule.json"));
        Files.delete(snap.resolve("nas/sysctl.txt"));
        Files.delete(snap.resolve("nas/ss-listen.txt"));
        Host nas = SnapshotLoader.load(snap).host("nas");
        assertThat(nas.rules()).extracting(Rule::text)
                .containsExactly("0:\tfrom all lookup local", "32766:\tfrom all lookup main", "32767:\tfrom all lookup default");
        assertThat(nas.rules().get(0).source().file()).startsWith("snap/nas/ip-rule.json");
        assertThat(nas.sysctls().all()).isEmpty();
        assertThat(nas.sysctls().collected()).isFalse();
        assertThat(nas.sysctls().missing().file()).isEqualTo("snap/nas/sysctl.txt");
        assertThat(nas.listeners()).isNull();
        assertThat(nas.firewall()).isSameAs(Ruleset.EMPTY);
        assertThat(nas.problems()).extracting(Problem::toString).containsExactly("snap/nas: not collected: "
                + "ip-rule.json (the kernel's three default rules assumed), "
                + "iptables-save.txt and nft.json (no firewall rules assumed), "
                + "sysctl.txt (the kernel's defaults assumed; a probe whose outcome depends on one is marked uncertain), "
                + "ss-listen.txt (every probed port taken as open)");
    }

    @Test
    void oneHostNeedsNoTopologySeveralDo() throws IOException {
        Files.delete(snap.resolve("topology.json"));
        assertThat(loadFails().oneLine()).isEqualTo("snap: 3 hosts (client, nas, router) and no topology.json: give --topology FILE "
                + "naming which interfaces share a link, e.g. {\"segments\": [{\"name\": \"lan\", \"members\": [\"client:eth0\", \"nas:eth0\"]}]}");
        // what a user has after `sh collect.sh thishost thishost.tar.gz`: one host, no topology
        Path one = tmp.resolve("one");
        copyTree(snap.resolve("nas"), one.resolve("nas"));
        assertThat(SnapshotLoader.load(one).hosts()).containsOnlyKeys("nas");
        assertThat(SnapshotInputs.load(List.of(one.resolve("nas")), null).segments()).isEmpty();
        InputException two = catchThrowableOfType(() -> SnapshotInputs.load(List.of(snap.resolve("nas"), snap.resolve("client")), null),
                InputException.class);
        assertThat(two.oneLine()).contains("2 hosts (client, nas) and no topology.json: give --topology FILE");
    }

    @Test
    void aWireGuardInterfaceWithoutItsConfigurationIsNamedWithTheOtherMissingFiles() throws IOException {
        Path office = tmp.resolve("office");
        copyTree(Path.of("src/test/resources/snapshots/office"), office);
        try (Stream<Path> wg = Files.walk(office.resolve("gw/wg"))) {
            for (Path p : wg.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        Host gw = SnapshotLoader.load(office).host("gw");
        Problem line = gw.problems().get(0);
        assertThat(line.toString()).isEqualTo("office/gw: not collected: wg/wg0.conf (the WireGuard interface wg0 without its "
                + "configuration: what is routed into it is lost)");
        assertThat(line.message().id()).isEqualTo(roundtrip.model.Sentences.NOT_COLLECTED);
        assertThat(roundtrip.report.Zh.text(line.message())).isEqualTo("未采集：wg/wg0.conf（WireGuard 接口 wg0 没有配置：路由进它的包都会丢失）");
        // the whole line reads in Chinese too
        Host pc = SnapshotLoader.load(office).host("pc");
        for (Problem p : List.of(line, pc.problems().get(0)))
            assertThat(new roundtrip.report.UntranslatedEnglish(List.of()).find(roundtrip.report.Zh.text(p.message()))).as(p.message().english()).isNull();
    }

    @Test
    void nftJsonAloneIsAWholeFirewallAndCollectedFilesAreNotNamed() throws IOException {
        write("nas/nft.json", "{\"nftables\": []}");
        Host nas = SnapshotLoader.load(snap).host("nas");
        assertThat(nas.sysctls().collected()).isTrue();
        assertThat(nas.problems()).isEmpty();
    }

    @Test
    void aRouteDumpWithoutTableLocalGetsTheKernelsLocalRoutesFromTheAddresses() throws IOException {
        Host before = SnapshotLoader.load(snap).host("nas");
        // what `ip -j -d route show` (table main only) prints: the same dump without the other tables
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var routes = (com.fasterxml.jackson.databind.node.ArrayNode) mapper.readTree(snap.resolve("nas/ip-route.json").toFile());
        var mainOnly = mapper.createArrayNode();
        for (var r : routes) if (!r.has("table") || r.get("table").asText().equals("main")) mainOnly.add(r);
        assertThat(mainOnly.size()).isLessThan(routes.size());
        Files.writeString(snap.resolve("nas/ip-route.json"), mapper.writeValueAsString(mainOnly));
        Host nas = SnapshotLoader.load(snap).host("nas");
        // IPv4's local routes (IPv6's, from link-local addresses the MAC gives, are the kernel's own and not derived)
        assertThat(nas.routes().stream().filter(r -> r.table() == Route.TABLE_LOCAL && r.family() == Ip.Family.IPV4).map(Route::text).sorted())
                .containsExactlyElementsOf(before.routes().stream().filter(r -> r.table() == Route.TABLE_LOCAL && r.family() == Ip.Family.IPV4)
                        .map(Route::text).sorted().toList());
        assertThat(nas.problems()).extracting(Problem::toString).contains("snap/nas/ip-route.json: no route of table local "
                + "(not the output of `ip -j -d route show table all`?): the kernel's local and broadcast routes were derived from "
                + "the addresses in ip-addr.json");
    }

    @Test
    void filesNotHandledYetAreProblemsNotFailures() throws IOException {
        write("nas/nft.json", "{\"nftables\": []}");
        write("nas/ip6tables-save.txt", "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n");
        write("nas/wg/wg0.conf", "[Interface]\n");
        write("nas/openvpn/server.conf", "dev tun\n");
        write("nas/saved/iptables-rules.v4", "*filter\nCOMMIT\n");
        Host nas = SnapshotLoader.load(snap).host("nas");
        assertThat(nas.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "snap/nas/wg/wg0.conf:1: wg0: no PrivateKey or PublicKey: other hosts' peers cannot be paired with it: [Interface]",
                "snap/nas/wg/wg0.conf: no interface wg0 in ip-addr.json: its WireGuard configuration is not used",
                "snap/nas/openvpn/server.conf: no interface tun in ip-addr.json (OpenVPN not running?): this configuration is not used");
        // saved/ is read now (roundtrip diff, check --after-reboot): with no live iptables rules there is nothing to compare
    }

    static String nftResource(String name) throws IOException {
        try (var in = SnapshotLoaderTest.class.getResourceAsStream("/nft/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void iptablesNftTablesInNftJsonAreNotEvaluatedTwice() throws IOException {
        // iptables-nft keeps its tables in nftables: nft.json shows ip filter and ip nat next to the native inet mine
        write("nas/iptables-save.txt", nftResource("iptables-nft.save.txt"));
        write("nas/nft.json", nftResource("iptables-nft.json"));
        Host nas = SnapshotLoader.load(snap).host("nas");
        // the dump's MASQUERADE names a wan device this test host does not have: warned once, from the iptables side only
        assertThat(nas.problems()).map((p -> p.message().english()))
                .containsExactly("no interface \"wan\" on nas: the rule names a device the host does not have, so it matches nothing until one exists");
        assertThat(nas.firewall().chains(roundtrip.netfilter.Hook.FORWARD))
                .extracting(c -> c.table() + " " + c.name() + " " + c.priority())
                .containsExactly("filter FORWARD 0", "inet mine c 10");
        assertThat(nas.firewall().chains(roundtrip.netfilter.Hook.POSTROUTING))
                .extracting(c -> c.table() + " " + c.name()).containsExactly("nat POSTROUTING");
    }

    @Test
    void ip6tablesRulesRunBesideIptablesAndNftForIpv6PacketsOnly() throws IOException {
        write("nas/iptables-save.txt", nftResource("iptables-nft.save.txt"));
        write("nas/nft.json", nftResource("iptables-nft.json"));
        write("nas/ip6tables-save.txt", "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A FORWARD -s 2001:db8::/32 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT\n-A FORWARD -m mh --mh-type 1 -j DROP\nCOMMIT\n");
        Host nas = SnapshotLoader.load(snap).host("nas");
        roundtrip.netfilter.Ruleset fw = nas.firewall();
        assertThat(fw.iptablesPart()).isInstanceOf(roundtrip.netfilter.iptables.IptablesRuleset.class)
                .satisfies(p -> assertThat(p.family()).isEqualTo(roundtrip.model.Ip.Family.IPV4));
        assertThat(fw.ip6tablesPart()).isInstanceOf(roundtrip.netfilter.iptables.IptablesRuleset.class)
                .satisfies(p -> assertThat(p.family()).isEqualTo(roundtrip.model.Ip.Family.IPV6));
        assertThat(fw.nftPart()).isInstanceOf(roundtrip.netfilter.nft.NftRuleset.class);
        // FORWARD: iptables' and ip6tables' filter tables at priority 0, then the nft chain; each sees its family
        assertThat(fw.chains(roundtrip.netfilter.Hook.FORWARD))
                .extracting(c -> c.table() + " " + c.name() + " " + c.sees(roundtrip.model.Ip.Family.IPV4) + " " + c.sees(roundtrip.model.Ip.Family.IPV6))
                .containsExactly("filter FORWARD true false", "filter FORWARD false true", "inet mine c true true");
        // what ip6tables accepts and roundtrip does not understand is a problem at its line
        assertThat(nas.problems()).extracting(Problem::toString)
                .contains("snap/nas/ip6tables-save.txt:6: unknown match -m mh: -A FORWARD -m mh --mh-type 1 -j DROP");
    }

    @Test
    void ipsetTxtGivesIp6tablesItsSetsToo() throws IOException {
        write("nas/iptables-save.txt", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set bad4 src -j DROP\nCOMMIT\n");
        write("nas/ip6tables-save.txt", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set bad6 src -j DROP\nCOMMIT\n");
        write("nas/ipset.txt", "create bad6 hash:net family inet6 hashsize 1024 maxelem 65536\nadd bad6 2001:db8:bad::/48\n"
                + "create bad4 hash:net family inet hashsize 1024 maxelem 65536\nadd bad4 198.51.100.0/24\n");
        roundtrip.netfilter.Ruleset fw = SnapshotLoader.load(snap).host("nas").firewall();
        for (roundtrip.netfilter.Ruleset part : List.of(fw.iptablesPart(), fw.ip6tablesPart())) {
            roundtrip.netfilter.IpSets sets = ((roundtrip.netfilter.iptables.IptablesRuleset) part).sets();
            assertThat(sets).isNotNull();
            assertThat(sets.file()).isEqualTo("snap/nas/ipset.txt");
            assertThat(sets.set("bad6").size()).isEqualTo(1);
        }
    }

    @Test
    void afterARebootTheSavedIp6tablesRulesApply() throws IOException {
        write("nas/iptables-save.txt", "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
        write("nas/ip6tables-save.txt", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\nCOMMIT\n");
        write("nas/saved/iptables-rules.v4", "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
        write("nas/saved/ip6tables-rules.v6", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -j DROP\n-A INPUT -p tcp -j DROP\nCOMMIT\n");
        roundtrip.netfilter.Ruleset live = SnapshotLoader.load(snap).host("nas").firewall().ip6tablesPart();
        roundtrip.netfilter.Ruleset boot = SnapshotLoader.load(snap, "snap", true).host("nas").firewall().ip6tablesPart();
        assertThat(((roundtrip.netfilter.iptables.IptablesRuleset) live).ruleCount("filter", "INPUT")).isEqualTo(1);
        assertThat(((roundtrip.netfilter.iptables.IptablesRuleset) boot).ruleCount("filter", "INPUT")).isEqualTo(2);
        assertThat(boot.problems()).isEmpty();
    }

    @Test
    void nftJsonAloneIsTheFirewall() throws IOException {
        write("nas/nft.json", nftResource("iptables-nft.json"));
        Host nas = SnapshotLoader.load(snap).host("nas");
        // without iptables-save the iptables-nft tables are read from nft.json; their xt matches are not understood
        assertThat(nas.firewall().chains(roundtrip.netfilter.Hook.FORWARD))
                .extracting(c -> c.table() + " " + c.name()).containsExactly("ip filter FORWARD", "inet mine c");
        assertThat(nas.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "snap/nas/nft.json:2: not understood (iptables-nft extension (xt match conntrack): only iptables-save shows what it does); "
                        + "the rule is not evaluated, results that reach it are uncertain: iifname \"eth0\" tcp dport 22 xt match \"conntrack\" counter accept",
                "snap/nas/nft.json:2: not understood (iptables-nft extension (xt target MASQUERADE): only iptables-save shows what it does); "
                        + "the rule is not evaluated, results that reach it are uncertain: oifname \"wan\" counter xt target \"MASQUERADE\"",
                "snap/nas/nft.json:2: no interface \"wan\" on nas: the rule names a device the host does not have, so it matches "
                        + "nothing until one exists: oifname \"wan\" counter xt target \"MASQUERADE\"");
    }

    @Test
    void garbledNftJsonNamesTheFile() throws IOException {
        write("nas/nft.json", "{\"nftables\": [{\"rule\": 3}]}");
        assertThat(loadFails().oneLine()).startsWith("snap/nas/nft.json: ");
    }

    @Test
    void iptablesSaveIsHandedToTheParser() throws IOException {
        write("nas/iptables-save.txt", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n");
        Network n;
        try {
            n = SnapshotLoader.load(snap);
        } catch (UnsupportedOperationException placeholder) {
            return;   // the parser is being written on another branch; the call itself is what is checked
        }
        assertThat(n.host("nas").firewall()).isNotSameAs(Ruleset.EMPTY);
    }

    @Test
    void directoriesWithoutIpAddrAreNotHosts() throws IOException {
        write("notes/readme.txt", "hello");
        assertThat(SnapshotLoader.load(snap).hosts().keySet()).containsExactly("client", "nas", "router");
    }

    @Test
    void hostsOutsideTheTopologyAreLoaded() throws IOException {
        write("topology.json", "{\"segments\": []}");
        Network n = SnapshotLoader.load(snap);
        assertThat(n.hosts()).hasSize(3);
        assertThat(n.segments()).isEmpty();
    }

    @Test
    void unknownTableNameInRoutesAloneIsAProblem() throws IOException {
        edit("router/ip-route.json", "\"table\": \"1000\"", "\"table\": \"isp2\"");
        Host router = SnapshotLoader.load(snap).host("router");
        Route r = router.routes().stream().filter(x -> x.dst().toString().equals("10.70.0.0/24")).findFirst().orElseThrow();
        assertThat(r.source().text()).isEqualTo("10.70.0.0/24 dev wan table isp2 scope link");
        assertThat(router.problems()).anySatisfy(p -> assertThat(p.toString()).startsWith(
                "snap/router/ip-route.json:25: routing table name \"isp2\" is not a reserved name"));
        // a different stand-in than "vpn" (and than any numeric table)
        Route vpn = router.routes().stream().filter(x -> x.source().text().contains("table vpn")).findFirst().orElseThrow();
        assertThat(r.table()).isNotEqualTo(vpn.table());
    }
}
