package roundtrip.netfilter.nft;

import roundtrip.netfilter.Pkt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: real `nft -j` output from resources, and small rulesets built from its expression JSON. */
final class NftFixtures {
    private NftFixtures() {}

    static String resource(String name) {
        try (var in = NftFixtures.class.getResourceAsStream("/nft/" + name)) {
            if (in == null) throw new IllegalArgumentException("no resource /nft/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One ip table "t" with base chain "c" (filter, forward, priority 0, policy accept) holding one rule per
     * argument (each the JSON of the rule's "expr" array, as nft -j writes it), and regular chains "x" and "y"
     * holding an accept and a drop.
     */
    static NftRuleset chain(String... ruleExprs) {
        return chainAt("forward", "filter", 0, "accept", ruleExprs);
    }

    static NftRuleset chainAt(String hook, String type, int prio, String policy, String... ruleExprs) {
        List<String> items = new ArrayList<>();
        items.add("{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}}");
        items.add("{\"table\": {\"family\": \"ip\", \"name\": \"t\", \"handle\": 1}}");
        items.add("{\"set\": {\"family\": \"ip\", \"name\": \"blocked\", \"table\": \"t\", \"type\": \"ipv4_addr\", \"handle\": 8, \"flags\": [\"interval\"], \"elem\": [{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}}, {\"range\": [\"192.168.5.1\", \"192.168.5.9\"]}]}}");
        items.add("{\"set\": {\"family\": \"ip\", \"name\": \"pairs\", \"table\": \"t\", \"type\": [\"ipv4_addr\", \"inet_service\"], \"handle\": 11, \"elem\": [{\"concat\": [\"10.1.1.1\", 22]}]}}");
        items.add("{\"set\": {\"family\": \"ip\", \"name\": \"ifs\", \"table\": \"t\", \"type\": \"ifname\", \"handle\": 10, \"elem\": [\"wg0\", \"eth0\"]}}");
        items.add("{\"map\": {\"family\": \"ip\", \"name\": \"portmap\", \"table\": \"t\", \"type\": \"inet_service\", \"handle\": 14, \"map\": \"verdict\", \"elem\": [[22, {\"accept\": null}], [23, {\"drop\": null}]]}}");
        items.add("{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"c\", \"handle\": 1, \"type\": \"" + type
                + "\", \"hook\": \"" + hook + "\", \"prio\": " + prio + ", \"policy\": \"" + policy + "\"}}");
        items.add("{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"x\", \"handle\": 2}}");
        items.add("{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"y\", \"handle\": 3}}");
        int handle = 10;
        for (String expr : ruleExprs)
            items.add("{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"c\", \"handle\": " + (handle++) + ", \"expr\": " + expr + "}}");
        items.add("{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"x\", \"handle\": 90, \"expr\": [{\"accept\": null}]}}");
        items.add("{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"y\", \"handle\": 91, \"expr\": [{\"drop\": null}]}}");
        return NftJsonReader.parse("nft.json", "{\"nftables\": [" + String.join(", ", items) + "]}");
    }

    /** A rule made of {@code match} followed by drop: does the match hold for the packet? */
    static boolean holds(String match, Pkt p) {
        NftRuleset rs = chain("[" + match + ", {\"drop\": null}]");
        assertUnderstood(rs);
        p.hook(roundtrip.netfilter.Hook.FORWARD);
        return !rs.chains(p.hook).isEmpty() && rs.chains(p.hook).get(0).evaluate(p.ctx()).kind() == roundtrip.netfilter.Verdict.Kind.DROP;
    }

    static void assertUnderstood(NftRuleset rs) {
        if (!rs.problems().isEmpty()) throw new AssertionError("unexpected problems: " + rs.problems());
    }
}
