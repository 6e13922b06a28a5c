package roundtrip.sim;

import roundtrip.model.Host;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Packet;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.PortCuts;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The port cuts of each host ({@link PortCuts}): the port comparisons of its firewall, and every port something
 * listens on there (ss-listen, a network file's `listen:`, WireGuard's ListenPort, OpenVPN's port), each its own
 * class. The kernel's routing (no ip rule with ports is modelled), conntrack and NAT treat all ports of a class
 * alike, so the hosts a pair's packets enter decide its classes: ports that the rules of those hosts treat alike
 * take the same path, through the same hosts ({@link Matrix} finds them by simulating until no new host is entered).
 */
public final class PortClasses {
    private final Map<String, PortCuts> byHost = new LinkedHashMap<>();

    private PortClasses() {}

    /** The cuts of every host of the networks (a host in several: its cuts in all of them). */
    public static PortClasses of(Network... nets) {
        PortClasses c = new PortClasses();
        for (Network net : nets) {
            if (net == null) continue;
            for (Host h : net.hosts().values()) c.byHost.computeIfAbsent(h.name(), n -> new PortCuts()).addAll(cutsOf(h));
        }
        return c;
    }

    private static PortCuts cutsOf(Host h) {
        PortCuts cuts = new PortCuts();
        h.firewall().portCuts(cuts);
        if (h.listeners() != null) for (Listener l : h.listeners()) cuts.port(l.proto(), l.port());
        for (TunnelConfig t : h.tunnels()) {
            if (t instanceof WireGuardConfig wg && wg.listenPort() > 0) cuts.port(Packet.UDP, wg.listenPort());
            if (t instanceof OpenVpnConfig o && o.port() > 0) cuts.port(o.transport(), o.port());
        }
        return cuts;
    }

    /** The cuts of these hosts together. */
    public PortCuts of(Collection<String> hosts) {
        PortCuts cuts = new PortCuts();
        for (String h : hosts) {
            PortCuts c = byHost.get(h);
            if (c != null) cuts.addAll(c);
        }
        return cuts;
    }

    /** The cuts of every host: the classes of a path through all of them. */
    public PortCuts all() { return of(byHost.keySet()); }
}
