package roundtrip.model;

/**
 * Configuration of a tunnel daemon or driver on a host (WireGuard, OpenVPN, a user-space program owning a tun).
 * The behaviour lives in roundtrip.tunnel; the model only carries what the configuration says.
 */
public interface TunnelConfig {
    /** The interface the tunnel's inner packets enter and leave by (wg0, tun0). */
    String device();

    /** Where the configuration came from, for quoting. */
    Source source();
}
