package roundtrip.model;

/** The sentences the model itself says (shared by the layers that build on it). */
public enum Sentences implements Message.Id {
    /** A decision, or a host's inputs, rest on what the snapshot did not hold: {what} says what and what was assumed. */
    NOT_COLLECTED("not collected: {what}");

    private final String english;

    Sentences(String english) { this.english = english; }

    @Override public String english() { return english; }
}
