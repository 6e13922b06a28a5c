package roundtrip.model;

/** Bad user input: reported as one line naming the file (and line), exit code 2. */
public class InputException extends RuntimeException {
    private final String file;
    private final int line;
    private final Message message;

    public InputException(String file, int line, String message) {
        this(file, line, Message.text(message));
    }

    /** What is wrong as a sentence by id; {@link #getMessage()} is its English. */
    public InputException(String file, int line, Message message) {
        super(message == null ? null : message.english());
        this.file = file;
        this.line = line;
        this.message = message;
    }

    public String file() { return file; }
    public int line() { return line; }

    /** What is wrong, as a sentence (by id, or text as written); null when the exception has no message. */
    public Message message() { return message; }

    /** "file:line: message" — the one line the CLI prints, whatever bytes the message quotes. */
    public String oneLine() {
        String where = line > 0 ? file + ":" + line : file;
        return printable(where + ": " + getMessage(), 400);
    }

    /** Control and line-separator characters escaped, long text cut: quoted garbage must not break the line. */
    static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR)
                sb.append(String.format("\\x%02x", (int) c & 0xff));
            else sb.append(c);
        }
        if (sb.length() >= max) { sb.setLength(max); sb.append("…"); }
        return sb.toString();
    }
}
