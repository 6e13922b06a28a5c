package roundtrip.model;

/** Where a piece of configuration came from, so findings can quote it as the user wrote it. */
public record Source(String file, int line, String text) {
    public static final Source NONE = new Source("", 0, "");

    public String where() { return line > 0 ? file + ":" + line : file; }

    @Override public String toString() { return text.isEmpty() ? where() : where() + ": " + text; }

    // equals and hashCode written out (the record's own, same results): the generated ones are bootstrapped by
    // method handles on first use, milliseconds of a one-shot run (issue 13)
    @Override public boolean equals(Object o) {
        return o instanceof Source s && java.util.Objects.equals(file, s.file) && line == s.line && java.util.Objects.equals(text, s.text);
    }

    @Override public int hashCode() { return (java.util.Objects.hashCode(file) * 31 + line) * 31 + java.util.Objects.hashCode(text); }
}
