package roundtrip.importer;

import roundtrip.model.InputException;

/** Builds InputExceptions whose message stays one short line even when it quotes garbled input. */
final class InputErrors {
    private InputErrors() {}

    static final int MAX_MESSAGE = 200;

    static InputException at(String file, int line, String message) {
        return new InputException(file, line, oneLine(message));
    }

    /** The same for a sentence by id; one that quotes garbled input (its English not one short line) becomes that line as text. */
    static InputException at(String file, int line, roundtrip.model.Message message) {
        String english = message.english();
        return oneLine(english).equals(english) ? new InputException(file, line, message) : at(file, line, english);
    }

    /** Control characters shown escaped (\n, \t, \u0000), long text cut. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() <= MAX_MESSAGE; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        if (sb.length() > MAX_MESSAGE) return sb.substring(0, MAX_MESSAGE - 3) + "...";
        return sb.toString();
    }
}
