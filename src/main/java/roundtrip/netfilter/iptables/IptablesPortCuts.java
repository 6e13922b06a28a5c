package roundtrip.netfilter.iptables;

import roundtrip.netfilter.PortCuts;

/**
 * The port ranges an iptables ruleset compares packets with ({@link PortCuts}): -m tcp/-m udp --sport/--dport (and
 * -p's implicit match), -m multiport, -m conntrack --ctorig/--ctrepl ports, and -m set over a set with ports.
 * Targets that write ports (DNAT, REDIRECT, MASQUERADE --to-ports) give every packet of a class the same new port,
 * so they cut nothing.
 */
final class IptablesPortCuts {
    private IptablesPortCuts() {}

    static void add(Iterable<Chain> chains, PortCuts cuts) {
        for (Chain c : chains)
            for (IptRule r : c.rules) {
                for (Match m : r.matches) add(r, m, cuts);
                if (r.problem != null && aboutPorts(r.problem.message()))
                    cuts.unknown(roundtrip.model.Message.of(Sentences.AT, r.source.where(), r.problem.message()));
            }
    }

    /**
     * Whether syntax that was not understood may compare ports: an option, match or target (or the module an option
     * belongs to) whose name says port (--dport, -m multiport, --to-ports, ...).
     */
    private static boolean aboutPorts(roundtrip.model.Message m) {
        if (m.id() != Sentences.UNKNOWN_OPTION && m.id() != Sentences.UNKNOWN_OPTION_FOR && m.id() != Sentences.UNKNOWN_MATCH
                && m.id() != Sentences.UNKNOWN_TARGET) return false;
        for (Object name : m.args()) if (String.valueOf(name).contains("port")) return true;
        return false;
    }

    private static void add(IptRule r, Match m, PortCuts cuts) {
        int ruleProto = r.protoInvert ? 0 : r.proto;
        if (m instanceof Matches.Ports p) {
            cuts.range(p.proto, p.sportMin, p.sportMax);
            cuts.range(p.proto, p.dportMin, p.dportMax);
        } else if (m instanceof Matches.Multiport mp) {
            for (int i = 0; i < mp.ranges.length; i += 2) cuts.range(ruleProto, mp.ranges[i], mp.ranges[i + 1]);
        } else if (m instanceof Matches.Conntrack ct) {
            int proto = ct.hasProto && !ct.protoInvert ? ct.ctProto : 0;
            for (int[] range : new int[][] {ct.origSport, ct.origDport, ct.replSport, ct.replDport})
                if (range != null) cuts.range(proto, range[0], range[1]);
        } else if (m instanceof Matches.SetMatch set) {
            if (set.holder.sets == null) cuts.unknown(roundtrip.model.Message.of(Sentences.PORT_SET_NOT_COLLECTED, set.name));
            else set.holder.sets.portCuts(set.name, cuts);
        }
    }
}
