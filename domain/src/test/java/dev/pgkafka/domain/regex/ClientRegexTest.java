package dev.pgkafka.domain.regex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class ClientRegexTest {

    @Test
    void anExpressionUpToTheCapIsCompiledByTheEngine() {
        String atCap = "a".repeat(ClientRegex.MAX_LENGTH - 2) + ".*";
        Predicate<String> matches = ClientRegex.compile(JdkRegexEngine.INSTANCE, atCap);
        assertTrue(matches.test("a".repeat(ClientRegex.MAX_LENGTH - 2) + "-orders"));
        assertFalse(matches.test("orders"));
    }

    @Test
    void aLongerExpressionIsRefusedBeforeTheEngineSeesIt() {
        AtomicInteger compiled = new AtomicInteger();
        RegexEngine counting = regex -> {
            compiled.incrementAndGet();
            return name -> true;
        };
        InvalidRegexException e = assertThrows(InvalidRegexException.class,
                () -> ClientRegex.compile(counting, "a".repeat(ClientRegex.MAX_LENGTH + 1)));
        assertTrue(e.description().contains("1025 characters long"), e.description());
        assertTrue(compiled.get() == 0, "the engine was not called");
    }

    @Test
    void nestedCountedRepetitionsAreRefusedBeforeTheEngineExpandsThem() {
        RegexEngine never = regex -> {
            throw new AssertionError("the engine must not see " + regex);
        };
        for (String bomb : new String[] {"((a{1000}){1000}){1000}", "(?:a{101}){100}", "(x{100,}){101}",
                "[a-z]{1000}[a-z]{1000}(b{100}){100}"}) {
            InvalidRegexException e = assertThrows(InvalidRegexException.class, () -> ClientRegex.compile(never, bomb));
            assertTrue(e.description().contains("expand"), e.description());
        }
    }

    @Test
    void everydaySubscriptionsPass() {
        for (String regex : new String[] {"orders-.*", "(orders|payments)-[a-z]{2}-\\d{1,3}", "\\Q.weird{9999}\\E",
                "[{]{3}x", "a{2,}", "(?i)orders", "(?<name>x){249}", "[\\]a]{100}"}) {
            ClientRegex.compile(JdkRegexEngine.INSTANCE, regex);
        }
    }
}
