package roundtrip.tunnel;

import roundtrip.model.Host;
import roundtrip.model.Message;
import roundtrip.model.Network;
import roundtrip.model.Problem;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tunnels of a network, by host and device, built from the hosts' tunnel configurations. */
public final class Tunnels {
    private final Map<String, Tunnel> byDevice = new HashMap<>();
    private final Map<String, List<Tunnel>> byHost = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    /**
     * Where a packet a host sends really arrives: the host it is delivered to and the packet as that host's socket sees
     * it (after every DNAT and SNAT on the way), or where it is lost. Lets the OpenVPN pairing follow a client's
     * connection through a router's port forward and its own NAT, as the daemons meet in reality.
     */
    public interface OuterPath {
        Arrival send(String fromHost, roundtrip.model.Packet packet);
    }

    /** {@code host} null: lost, on {@code lostOn} for {@code lostReason}. */
    public record Arrival(String host, roundtrip.model.Packet packet, String lostOn, Message lostReason) {}

    /** Tunnels paired by addresses alone (who owns the address a client's remote names). */
    public Tunnels(Network net) { this(net, null); }

    /** Tunnels paired by following each OpenVPN client's first packet to its remote along {@code outerPath} (null: by address). */
    public Tunnels(Network net, OuterPath outerPath) { this(net, outerPath, false); }

    /** Tunnels paired by addresses, a remote without a server taken to be forwarded to the only one on its port. */
    static Tunnels forwardsAssumed(Network net) { return new Tunnels(net, null, true); }

    private Tunnels(Network net, OuterPath outerPath, boolean forwardAssumed) {
        for (Host h : net.hosts().values()) {
            for (TunnelConfig c : h.tunnels()) {
                Tunnel t = create(h, c);
                if (t == null) {
                    problems.add(new Problem(c.source(), Message.of(Sentences.UNKNOWN_TUNNEL_KIND, c.getClass().getSimpleName())));
                    continue;
                }
                byDevice.put(h.name() + ":" + t.device(), t);
                byHost.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(t);
            }
        }
        checkWireGuardPairs(net);
        OpenVpnPairing.pair(net, byDevice.values(), problems, outerPath, forwardAssumed);
    }

    private static Tunnel create(Host h, TunnelConfig c) {
        if (c instanceof WireGuardConfig wg) return new WireGuardTunnel(h.name(), wg);
        if (c instanceof roundtrip.model.OpenVpnConfig ovpn) return new OpenVpnTunnel(h.name(), ovpn);
        return null;
    }

    /** Every tunnel of the network, host by host. */
    public List<Tunnel> all() {
        List<Tunnel> out = new ArrayList<>();
        for (List<Tunnel> l : byHost.values()) out.addAll(l);
        return out;
    }

    /** Whether the host has any tunnel (most have none). */
    public boolean onHost(String host) { return byHost.containsKey(host); }

    public Tunnel onDevice(String host, String device) {
        List<Tunnel> mine = byHost.get(host);
        if (mine == null) return null;   // most hosts have none: no key to build per packet
        for (Tunnel t : mine) if (t.device().equals(device)) return byDevice.get(host + ":" + device);
        return null;
    }

    /** The tunnel of this host whose socket an outer packet delivered there belongs to. */
    public Tunnel owner(String host, roundtrip.model.Packet delivered) {
        for (Tunnel t : byHost.getOrDefault(host, List.of())) if (t.owns(delivered)) return t;
        return null;
    }

    /** Pairing problems: keys no interface has, endpoints nobody owns. */
    public List<Problem> problems() { return problems; }

    private void checkWireGuardPairs(Network net) {
        Map<String, String> keyOwner = new HashMap<>();
        for (Tunnel t : byDevice.values())
            if (t instanceof WireGuardTunnel w && w.config().publicKey() != null)
                keyOwner.put(w.config().publicKey(), t.host() + ":" + t.device());
        for (Tunnel t : byDevice.values()) {
            if (!(t instanceof WireGuardTunnel w)) continue;
            for (WireGuardConfig.Peer p : w.config().peers()) {
                if (p.publicKey() != null && !keyOwner.containsKey(p.publicKey()))
                    problems.add(new Problem(p.source(), Message.of(Sentences.WG_PEER_UNPAIRED, t.host(), t.device(), p.shortKey())));
                if (p.endpointAddr() != null && net.hosts().values().stream().noneMatch(h -> h.ownsAddress(p.endpointAddr())))
                    problems.add(new Problem(p.source(), Message.of(Sentences.WG_ENDPOINT_NOBODYS, t.host(), t.device(), p.endpointAddr())));
            }
        }
    }
}
