package roundtrip.model;

/** Bad user input: reported as one line naming the file (and line), exit code 2. */
public class InputException extends RuntimeException {
    private final String file;
    private final int line;

    public InputException(String file, int line, String message) {
        super(message);
        this.file = file;
        this.line = line;
    }

    public String file() { return file; }
    public int line() { return line; }

    /** "file:line: message" — the one line the CLI prints. */
    public String oneLine() {
        String where = line > 0 ? file + ":" + line : file;
        return where + ": " + getMessage();
    }
}
