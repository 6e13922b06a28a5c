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
        // one String per device name, as in Route: the maps and compares of every packet find it by identity
        name = name.intern();
        if (master != null) master = master.intern();
    }

    public boolean isLoopback() { return "loopback".equals(kind) || "lo".equals(name); }

    public boolean isBridge() { return "bridge".equals(kind); }

    public boolean isBridgePort() { return master != null; }

    public boolean hasAddress(Ip ip) {
        for (Address a : addresses) if (a.local().equals(ip)) return true;
        return false;
    }

    /** The first non-secondary IPv4 address, which the kernel prefers as an IPv4 source on this interface. */
    public Address primary() { return primary(Ip.Family.IPV4); }

    /** The first non-secondary address of a family; null when the interface has no address of that family. */
    public Address primary(Ip.Family family) {
        Address first = null;
        for (Address a : addresses) {
            if (a.family() != family) continue;
            if (!a.secondary()) return a;
            if (first == null) first = a;
        }
        return first;
    }

    /** Whether the interface has an address of this family. */
    public boolean hasAddress(Ip.Family family) {
        for (Address a : addresses) if (a.family() == family) return true;
        return false;
    }

    /** The addresses of one family, in the order the interface has them. */
    public List<Address> addresses(Ip.Family family) {
        List<Address> out = new java.util.ArrayList<>();
        for (Address a : addresses) if (a.family() == family) out.add(a);
        return out;
    }
}
