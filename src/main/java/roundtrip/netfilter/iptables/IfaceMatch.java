package roundtrip.netfilter.iptables;

/**
 * `-i`/`-o` name compare, prepared once: "eth0" compares equal, "eth+" compares the prefix "eth", "+" matches any
 * name. A missing device (null) compares like the kernel's empty name.
 */
final class IfaceMatch {
    private final String name;
    private final boolean prefix;
    private final boolean invert;
    final String text;

    IfaceMatch(String text, boolean invert) {
        this.text = text;
        this.prefix = text.endsWith("+");
        // interned as devices' names are (Interface, Route): a packet's device then compares equal by identity
        this.name = (prefix ? text.substring(0, text.length() - 1) : text).intern();
        this.invert = invert;
    }

    boolean inverted() { return invert; }

    /** The one name this compares equal to (for an index), or null when it is inverted or a `+` prefix. */
    String exactName() { return prefix || invert ? null : name; }

    /** What the rule names, for {@link roundtrip.netfilter.AbsentNames}. */
    roundtrip.netfilter.DeviceName named(roundtrip.model.Source rule, boolean incoming) {
        return new roundtrip.netfilter.DeviceName(rule, name, prefix, incoming, text);
    }

    boolean test(String iface) {
        String actual = iface == null ? "" : iface;
        boolean same = prefix ? actual.startsWith(name) : actual.equals(name);
        return same != invert;
    }
}
