package roundtrip.tunnel;

import java.util.HashMap;
import java.util.Map;

/**
 * What tunnels learn while a probe runs (a WireGuard peer's roamed endpoint, the source address a reply should
 * leave from). One per simulated probe; keys are chosen by each tunnel kind.
 */
public final class TunnelState {
    private final Map<String, Object> values = new HashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T get(String key) { return (T) values.get(key); }

    public void put(String key, Object value) { values.put(key, value); }
}
