package roundtrip.sim;

import roundtrip.model.Host;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.PortCuts;

/**
 * The port classes of whole networks ({@link PortCuts}): the port comparisons of every host's firewall, and every port
 * something listens on (ss-listen, a network file's `listen:`, WireGuard's ListenPort, OpenVPN's port), each its own
 * class. The kernel's routing (no ip rule with ports is modelled), conntrack and NAT treat all ports of a class alike.
 */
public final class PortClasses {
    private PortClasses() {}

    public static PortCuts of(Network... nets) {
        PortCuts cuts = new PortCuts();
        for (Network net : nets) {
            if (net == null) continue;
            for (Host h : net.hosts().values()) {
                h.firewall().portCuts(cuts);
                if (h.listeners() != null) for (Listener l : h.listeners()) cuts.port(l.proto(), l.port());
                for (TunnelConfig t : h.tunnels()) {
                    if (t instanceof WireGuardConfig wg && wg.listenPort() > 0) cuts.port(roundtrip.model.Packet.UDP, wg.listenPort());
                    if (t instanceof OpenVpnConfig o && o.port() > 0) cuts.port(o.transport(), o.port());
                }
            }
        }
        return cuts;
    }
}
