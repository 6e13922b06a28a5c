package roundtrip.model;

/** Something an importer could not understand or that makes results uncertain; quoted with its source. */
public record Problem(Source source, String message) {
    @Override public String toString() { return source.where() + ": " + message + (source.text().isEmpty() ? "" : ": " + source.text()); }
}
