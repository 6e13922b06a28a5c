package roundtrip.netfilter.nft;

import roundtrip.netfilter.PacketContext;

import java.util.List;

/**
 * The left-hand side of a match: what is read from the packet or its connection, and its type. {@code read} returns
 * a Long or String (a List for a concatenation), null when the packet has no such field (a tcp port of a udp
 * packet, the mark of a missing connection): then the rule does not match, as the kernel's NFT_BREAK; or an
 * {@link Unknown} when the model cannot know it.
 */
final class Operand {
    @FunctionalInterface
    interface Reader {
        Object read(PacketContext ctx);
    }

    /** What a rule reads that the model cannot know for a probe (the time of day, a socket's owner), and why. */
    record Unknown(roundtrip.model.Message reason) {}

    final Reader reader;
    final ValueType type;
    /** for a concatenation `a . b`: its parts (type is then null) */
    final List<Operand> parts;
    private final boolean unknowable;

    Operand(Reader reader, ValueType type) {
        this(reader, type, null, false);
    }

    Operand(Reader reader, List<Operand> parts) {
        this(reader, null, parts, false);
    }

    private Operand(Reader reader, ValueType type, List<Operand> parts, boolean unknowable) {
        this.reader = reader;
        this.type = type;
        this.parts = parts;
        this.unknowable = unknowable;
    }

    /** Something never known for a probe: every read is {@link Unknown} with {@code reason}. */
    static Operand unknowable(roundtrip.model.Message reason, ValueType type) {
        Unknown u = new Unknown(reason);
        return new Operand(ctx -> u, type, null, true);
    }

    /** What is either {@link Unknown} or absent (null) for the model's packets: its values are never compared. */
    static Operand opaque(Reader reader) {
        return new Operand(reader, ValueType.TEXT, null, true);
    }

    /** True when no value read is ever compared with the right-hand side (it is unknown or absent). */
    boolean isUnknowable() { return unknowable; }

    Object read(PacketContext ctx) { return reader.read(ctx); }
}
