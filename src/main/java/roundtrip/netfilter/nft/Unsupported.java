package roundtrip.netfilter.nft;

/** Part of a rule the model does not understand; the rule is kept and reported uncertain when reached. */
final class Unsupported extends RuntimeException {
    Unsupported(String what) { super(what, null, false, false); }
}
