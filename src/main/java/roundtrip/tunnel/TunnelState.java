package roundtrip.tunnel;

import roundtrip.model.Ip;

import java.util.HashMap;
import java.util.Map;

/**
 * What tunnels learn while a probe runs (a WireGuard peer's roamed endpoint, the source address a reply should
 * leave from). One per simulated probe; keys are chosen by each tunnel kind.
 */
public final class TunnelState {
    private final Map<String, Object> values = new HashMap<>();

    /** Where a peer was seen (or a socket reached): an address and a port. */
    public record Endpoint(Ip addr, int port) {}

    @SuppressWarnings("unchecked")
    public <T> T get(String key) { return (T) values.get(key); }

    public void put(String key, Object value) { values.put(key, value); }

    /** Forget everything, for the next probe. */
    public void clear() { if (!values.isEmpty()) values.clear(); }
}
