package dev.pgkafka.domain.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Kafka's Topic.validate: 1..249 characters of [a-zA-Z0-9._-], and not "." or "..". */
class TopicNamesTest {
    private static final String LEGAL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    @Test
    void legalNames() {
        for (String name : new String[] {"a", "orders", "Orders.v2_eu-west-1", "...", ".a", "__consumer_offsets", "-",
                "0", "a".repeat(249)}) {
            assertTrue(TopicNames.isValid(name), name);
            assertTrue(TopicNames.problem(name).isEmpty(), name);
        }
    }

    @Test
    void illegalNamesSayWhy() {
        assertProblem(null, "Topic name is invalid: the empty string is not allowed");
        assertProblem("", "Topic name is invalid: the empty string is not allowed");
        assertProblem(".", "Topic name is invalid: '.' is not allowed");
        assertProblem("..", "Topic name is invalid: '..' is not allowed");
        assertProblem("a".repeat(250), "longer than the max allowed length 249");
        for (String name : new String[] {"a b", "a/b", "a:b", "t\u00e9", "topic!", "tab\t", "a*", "\u0000"}) {
            assertProblem(name, "Topic name is invalid: '" + name
                    + "' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'");
        }
    }

    @Test
    void namesThatDifferOnlyInDotsAndUnderscoresCollide() {
        assertTrue(TopicNames.collide("a.b", "a_b"));
        assertTrue(TopicNames.collide("a_b.c", "a.b_c"));
        assertFalse(TopicNames.collide("a.b", "a.b"), "a name does not collide with itself");
        assertFalse(TopicNames.collide("a.b", "a-b"));
    }

    @Test
    void randomNamesFromTheLegalAlphabetAreLegalAndOneForeignCharacterMakesThemIllegal() {
        for (long seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            for (int i = 0; i < 100; i++) {
                StringBuilder b = new StringBuilder();
                int length = 1 + random.nextInt(TopicNames.MAX_LENGTH);
                for (int k = 0; k < length; k++) {
                    b.append(LEGAL.charAt(random.nextInt(LEGAL.length())));
                }
                String name = b.toString();
                boolean dots = name.equals(".") || name.equals("..");
                assertEquals(!dots, TopicNames.isValid(name), "seed " + seed + ": " + name);

                char foreign;
                do {
                    foreign = (char) random.nextInt(0x3000);
                } while (LEGAL.indexOf(foreign) >= 0);
                if (name.length() == TopicNames.MAX_LENGTH) {
                    b.setLength(name.length() - 1); // stay within the length limit: only the character is wrong
                }
                b.insert(random.nextInt(b.length() + 1), foreign);
                assertFalse(TopicNames.isValid(b.toString()),
                        "seed " + seed + ": U+" + Integer.toHexString(foreign) + " in " + b);
            }
        }
    }

    private static void assertProblem(String name, String expectedReason) {
        assertFalse(TopicNames.isValid(name), String.valueOf(name));
        String problem = TopicNames.problem(name).orElseThrow();
        assertTrue(problem.contains(expectedReason), name + ": " + problem);
    }
}
