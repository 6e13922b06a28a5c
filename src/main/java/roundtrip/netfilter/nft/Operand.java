package roundtrip.netfilter.nft;

import roundtrip.netfilter.PacketContext;

import java.util.List;

/**
 * The left-hand side of a match: what is read from the packet or its connection, and its type. {@code read} returns
 * a Long or String (a List for a concatenation), or null when the packet has no such field (a tcp port of a udp
 * packet, the mark of a missing connection): then the rule does not match, as the kernel's NFT_BREAK.
 */
final class Operand {
    @FunctionalInterface
    interface Reader {
        Object read(PacketContext ctx);
    }

    final Reader reader;
    final ValueType type;
    /** for a concatenation `a . b`: its parts (type is then null) */
    final List<Operand> parts;

    Operand(Reader reader, ValueType type) {
        this.reader = reader;
        this.type = type;
        this.parts = null;
    }

    Operand(Reader reader, List<Operand> parts) {
        this.reader = reader;
        this.type = null;
        this.parts = parts;
    }

    Object read(PacketContext ctx) { return reader.read(ctx); }
}
