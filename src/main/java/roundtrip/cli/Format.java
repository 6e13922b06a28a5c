package roundtrip.cli;

import roundtrip.model.InputException;

final class Format {
    private Format() {}

    static void check(String format) {
        if (!format.equals("json") && !format.equals("text"))
            throw new InputException("--format", 0, "expected json or text, got \"" + format + "\"");
    }
}
