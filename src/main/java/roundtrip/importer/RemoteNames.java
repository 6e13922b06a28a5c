package roundtrip.importer;

import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Host names where a VPN config wants an address (OpenVPN's {@code remote vpn.example.org 1194}, WireGuard's
 * {@code Endpoint = vpn.example.org:51820}), resolved from
 * the network file's {@code names:} map, the offline stand-in for DNS: roundtrip never asks a resolver, whose
 * answer on the machine running it may not be what the host saw. A name the map does not hold stays unresolved,
 * and the OpenVPN pairing says so.
 */
public final class RemoteNames {
    private RemoteNames() {}

    /** The network with every OpenVPN remote whose host is in {@code names} (keys in lower case) given that address. */
    public static Network resolve(Network net, Map<String, Ip> names) {
        if (names.isEmpty()) return net;
        List<Host> hosts = new ArrayList<>();
        for (Host h : net.hosts().values()) hosts.add(resolve(h, names));
        return new Network(hosts, net.segments());
    }

    public static Host resolve(Host h, Map<String, Ip> names) {
        if (names.isEmpty()) return h;
        List<TunnelConfig> tunnels = new ArrayList<>();
        boolean changed = false;
        for (TunnelConfig t : h.tunnels()) {
            if (t instanceof OpenVpnConfig o) {
                List<OpenVpnConfig.Remote> remotes = new ArrayList<>();
                for (OpenVpnConfig.Remote r : o.remotes()) {
                    Ip addr = r.addr() == null ? names.get(r.host().toLowerCase(Locale.ROOT)) : null;
                    if (addr != null) {
                        r = new OpenVpnConfig.Remote(r.host(), addr, r.port(), r.transport(), r.source());
                        changed = true;
                    }
                    remotes.add(r);
                }
                t = o.withRemotes(remotes);
            } else if (t instanceof WireGuardConfig wg) {
                // a wg-quick file's Endpoint = name:port (wg resolves it when the configuration is set)
                List<WireGuardConfig.Peer> peers = new ArrayList<>();
                for (WireGuardConfig.Peer p : wg.peers()) {
                    Ip addr = p.endpointAddr() == null && p.endpointHost() != null ? names.get(p.endpointHost().toLowerCase(Locale.ROOT)) : null;
                    if (addr != null) {
                        p = p.withEndpointAddr(addr);
                        changed = true;
                    }
                    peers.add(p);
                }
                t = wg.withPeers(peers);
            }
            tunnels.add(t);
        }
        if (!changed) return h;
        return new Host(h.name(), new ArrayList<>(h.interfaces().values()), h.routes(), h.rules(), h.firewall(), h.sysctls(),
                h.listeners(), h.problems(), tunnels, h.firewallConfig(), h.managed()).withNdpProxies(h.ndpProxies());
    }
}
