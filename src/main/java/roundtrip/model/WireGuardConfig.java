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

    /** A [Peer] section; {@code endpoint} null when none is configured or was seen. */
    public record Peer(String publicKey, Ip endpointAddr, int endpointPort, List<Prefix> allowedIps,
                       Source source, Source allowedIpsSource) {
        public Peer {
            allowedIps = List.copyOf(allowedIps);
        }

        public String shortKey() { return publicKey == null ? "(unknown key)" : publicKey.substring(0, Math.min(8, publicKey.length())) + "…"; }
    }
}
