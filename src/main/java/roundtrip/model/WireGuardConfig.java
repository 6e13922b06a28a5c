package roundtrip.model;

import java.util.List;

/**
 * One WireGuard interface as `wg showconf` (or a wg-quick file) describes it. {@code publicKey} is derived from
 * the private key when present (or given by a collector that redacted the private key); null when unknown.
 * {@code listenPort} 0 = chosen at random by the kernel; {@code fwmark} 0 = none. Each peer keeps the lines
 * it came from so a drop can quote its AllowedIPs as written.
 */
public record WireGuardConfig(String device, String publicKey, int listenPort, long fwmark, List<Peer> peers,
                              Source source) implements TunnelConfig {
    public WireGuardConfig {
        peers = List.copyOf(peers);
    }

    public WireGuardConfig withFwmark(long mark) { return new WireGuardConfig(device, publicKey, listenPort, mark, peers, source); }

    public WireGuardConfig withPeers(List<Peer> p) { return new WireGuardConfig(device, publicKey, listenPort, fwmark, p, source); }

    /**
     * A [Peer] section; {@code endpoint} null when none is configured or was seen. {@code endpointHost}: the host
     * name an {@code Endpoint = name:port} gives (null for an address), which `wg` resolves when the config is set;
     * {@code endpointAddr} is then what the network file's {@code names:} map says, or null. {@code persistentKeepalive}:
     * seconds between the keepalives sent to the peer (0 = off).
     */
    public record Peer(String publicKey, Ip endpointAddr, int endpointPort, List<Prefix> allowedIps,
                       Source source, Source allowedIpsSource, String endpointHost, int persistentKeepalive) {
        public Peer {
            allowedIps = List.copyOf(allowedIps);
        }

        public Peer(String publicKey, Ip endpointAddr, int endpointPort, List<Prefix> allowedIps, Source source, Source allowedIpsSource) {
            this(publicKey, endpointAddr, endpointPort, allowedIps, source, allowedIpsSource, null, 0);
        }

        public Peer withEndpointAddr(Ip addr) {
            return new Peer(publicKey, addr, endpointPort, allowedIps, source, allowedIpsSource, endpointHost, persistentKeepalive);
        }

        public String shortKey() { return publicKey == null ? "(unknown key)" : publicKey.substring(0, Math.min(8, publicKey.length())) + "…"; }
    }
}
