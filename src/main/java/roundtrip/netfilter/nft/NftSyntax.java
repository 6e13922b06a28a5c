package roundtrip.netfilter.nft;

/** nft text that cannot be read at {@code line}: a statement's reader gives up with what it did not understand. */
final class NftSyntax extends RuntimeException {
    final int line;

    NftSyntax(int line, String what) {
        super(what, null, false, false);
        this.line = line;
    }
}
