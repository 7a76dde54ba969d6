package dev.pgkafka.domain.regex;

/** A client's regular expression that cannot be used: bad syntax, or longer than {@link ClientRegex#MAX_LENGTH}. */
public final class InvalidRegexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param description what is wrong, without the expression itself */
    public InvalidRegexException(String description) {
        super(description);
    }

    /** What is wrong, without the expression itself. */
    public String description() {
        return getMessage();
    }
}
