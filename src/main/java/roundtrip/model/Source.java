package roundtrip.model;

/** Where a piece of configuration came from, so findings can quote it as the user wrote it. */
public record Source(String file, int line, String text) {
    public static final Source NONE = new Source("", 0, "");

    public String where() { return line > 0 ? file + ":" + line : file; }

    @Override public String toString() { return text.isEmpty() ? where() : where() + ": " + text; }
}
