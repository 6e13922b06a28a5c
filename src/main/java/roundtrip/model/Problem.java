package roundtrip.model;

/** Something an importer could not understand or that makes results uncertain; quoted with its source. */
public record Problem(Source source, Message message) {
    /**
     * "not collected: WHAT" at {@code where} (the file that is missing): {@code what} says which setting or file, and what
     * was assumed instead.
     */
    public static Problem notCollected(Source where, Message what) {
        return new Problem(where, Message.of(Sentences.NOT_COLLECTED, what));
    }

    @Override public String toString() { return source.where() + ": " + message + (source.text().isEmpty() ? "" : ": " + source.text()); }
}
