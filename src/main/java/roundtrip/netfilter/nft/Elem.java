package roundtrip.netfilter.nft;

/** The right-hand side of a match, or one element of a set: does a value read from the packet belong to it? */
@FunctionalInterface
interface Elem {
    boolean test(Object value);
}
