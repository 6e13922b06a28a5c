package roundtrip.model;

/** Something an importer could not understand or that makes results uncertain; quoted with its source. */
public record Problem(Source source, Message message) {
    public Problem(Source source, String message) { this(source, Message.text(message)); }

    @Override public String toString() { return source.where() + ": " + message + (source.text().isEmpty() ? "" : ": " + source.text()); }
}
