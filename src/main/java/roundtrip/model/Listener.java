package roundtrip.model;

/** A listening socket (`ss -Hlntu`): protocol number, local address (null = any) and port. */
public record Listener(int proto, Ip address, int port) {
    public boolean accepts(int proto, Ip dst, int port) {
        return this.proto == proto && this.port == port && (address == null || address.equals(dst));
    }
}
