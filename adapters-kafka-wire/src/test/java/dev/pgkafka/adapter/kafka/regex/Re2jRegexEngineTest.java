package dev.pgkafka.adapter.kafka.regex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.regex.ClientRegex;
import dev.pgkafka.domain.regex.InvalidRegexException;

class Re2jRegexEngineTest {
    private final Re2jRegexEngine engine = Re2jRegexEngine.INSTANCE;

    @Test
    void aNameMatchesOnlyAsAWholeAsInKafka() {
        Predicate<String> orders = engine.compile("orders-.*");
        assertTrue(orders.test("orders-eu"));
        assertFalse(orders.test("all-orders-eu"), "no match inside the name");
        assertFalse(engine.compile("orders").test("orders-eu"), "no prefix match");
    }

    @Test
    void badSyntaxAndWhatRe2DoesNotHaveAreInvalid() {
        assertThrows(InvalidRegexException.class, () -> engine.compile("orders-("));
        assertThrows(InvalidRegexException.class, () -> engine.compile("(a)\\1"), "no backreferences");
        assertThrows(InvalidRegexException.class, () -> engine.compile("(?=a)a"), "no lookahead");
    }

    /**
     * Expressions that make a backtracking engine (java.util.regex) take exponential time in the
     * name's length: with RE2/J, 10,000 of them against a 249-character name (Kafka's longest) take
     * milliseconds. The bound is generous for a loaded machine; backtracking would take years.
     */
    @Test
    void pathologicalExpressionsMatchInLinearTime() {
        String name = "a".repeat(248) + "!";
        String xs = "x".repeat(248) + "!";
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            assertFalse(engine.compile("(a+)+$").test(name));
            assertFalse(engine.compile("(x+x+)+y").test(xs));
            assertFalse(engine.compile("(a|aa)+b").test(name));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 10_000, "took " + millis + " ms");
    }

    @Test
    void nestedRepetitionsThatRe2jWouldExpandWithoutLimitAreRefusedFirst() {
        // RE2/J alone runs out of heap compiling this (it writes out a billion instructions)
        String nested = "((a{1000}){1000}){1000}";
        assertTrue(nested.length() <= ClientRegex.MAX_LENGTH);
        assertThrows(InvalidRegexException.class, () -> ClientRegex.compile(engine, nested));
    }
}
