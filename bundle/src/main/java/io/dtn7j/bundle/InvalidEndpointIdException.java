package io.dtn7j.bundle;

/**
 * An endpoint ID string or encoding is not valid; the message names the offending text and the rule it
 * breaks. Unchecked, because most endpoint IDs come from configuration or code, where a bad one is a
 * programming or configuration error.
 */
public final class InvalidEndpointIdException extends IllegalArgumentException {
    /** The rejected text. */
    private final String input;

    /**
     * Creates the exception.
     *
     * @param input   the text that was rejected
     * @param problem what is wrong with it
     */
    public InvalidEndpointIdException(String input, String problem) {
        super("invalid endpoint ID '" + input + "': " + problem);
        this.input = input;
    }

    /** {@return the rejected text} */
    public String input() {
        return input;
    }
}
