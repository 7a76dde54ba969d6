package dev.pgkafka.domain.regex;

import java.util.function.Predicate;

/**
 * Compiles the regular expressions clients send (KIP-848 topic subscriptions, ListTransactions
 * filters). The domain calls it through {@link ClientRegex}, which caps the length first; an adapter
 * implements it with an engine that matches in time linear in the input (Kafka uses RE2/J), so that
 * no expression a client chooses can make matching backtrack exponentially.
 */
@FunctionalInterface
public interface RegexEngine {
    /**
     * @return whether an input matches the expression as a whole (Kafka's {@code matcher(name).matches()})
     * @throws InvalidRegexException when the expression is not valid in the engine's syntax
     */
    Predicate<String> compile(String regex);
}
