package roundtrip.netfilter.iptables;

import roundtrip.model.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Rules that name what the host does not have: an `-i`/`-o` interface no device of the host is called (iptables
 * accepts any name: the rule simply never matches, the whole bug in many real reports, "MASQUERADE -o eth0" on a host
 * that now leaves by wlan0), or one that is down. (An SNAT address the host does not own is a diagnosis, not a warning: a
 * NAT gateway's public address is routed to it without being its own; `why` decides it from the answers' path.) Wildcards (`eth+`) name a prefix; `+` any device.
 */
public final class AbsentNames {
    private AbsentNames() {}

    /** The rules of a host's firewall (its iptables part) that name what the host does not have. */
    public static List<Problem> of(roundtrip.netfilter.Ruleset fw, String host, java.util.Collection<roundtrip.model.Interface> ifaces) {
        if (fw instanceof roundtrip.netfilter.Ruleset.Combined c) {
            List<Problem> out = new ArrayList<>(of(c.first(), host, ifaces));
            out.addAll(of(c.second(), host, ifaces));
            return out;
        }
        if (!(fw instanceof IptablesRuleset ipt)) return List.of();
        java.util.Map<String, Boolean> names = new java.util.HashMap<>();
        for (roundtrip.model.Interface i : ifaces) names.put(i.name(), i.up());
        return of(ipt, host, names);
    }

    /**
     * @param devices the host's interface names, with whether each is up
     */
    public static List<Problem> of(IptablesRuleset rs, String host, java.util.Map<String, Boolean> devices) {
        List<Problem> out = new ArrayList<>();
        for (IptablesRuleset.Table t : rs.tables())
            for (Chain c : t.chains.values())
                for (IptRule r : c.ruleList) {
                    for (IfaceMatch m : new IfaceMatch[] {r.in, r.out}) {
                        if (m == null || m.inverted()) continue;
                        List<String> named = devices.keySet().stream().filter(m::test).sorted().toList();
                        if (!named.isEmpty()) {
                            if (named.stream().noneMatch(devices::get))
                                out.add(new Problem(r.source, "the rule names " + String.join(", ", named) + " on " + host
                                        + ", which " + (named.size() == 1 ? "is" : "are") + " down: no packet " + (m == r.in ? "comes in" : "leaves")
                                        + " by " + (named.size() == 1 ? "it" : "them") + " now"));
                            continue;
                        }
                        out.add(new Problem(r.source, "no interface \"" + m.text + "\" on " + host + ": the rule "
                                + (m.text.endsWith("+") ? "names devices no interface's name begins with" : "names a device the host does not have")
                                + ", so it matches nothing until one exists"));
                    }
                }
        return out;
    }

}
