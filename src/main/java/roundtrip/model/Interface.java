package roundtrip.model;

import java.util.List;

/**
 * A network interface of a host. {@code kind} is the link kind from `ip -d` (veth, bridge, tun, wireguard,
 * dummy, loopback, ...). {@code master} names the bridge (or VRF) it is enslaved to, if any.
 * {@code noArp} is true for point-to-point devices (tun, wireguard) that have no neighbour resolution.
 */
public record Interface(String name, int index, String kind, String master, boolean up, boolean noArp,
                        String mac, int mtu, List<Address> addresses) {
    public Interface {
        addresses = List.copyOf(addresses);
    }

    public boolean isLoopback() { return "loopback".equals(kind) || "lo".equals(name); }

    public boolean isBridge() { return "bridge".equals(kind); }

    public boolean isBridgePort() { return master != null; }

    public boolean hasAddress(int ip) {
        for (Address a : addresses) if (a.local() == ip) return true;
        return false;
    }

    /** The first non-secondary address, which the kernel prefers as a source on this interface. */
    public Address primary() {
        for (Address a : addresses) if (!a.secondary()) return a;
        return addresses.isEmpty() ? null : addresses.get(0);
    }
}
