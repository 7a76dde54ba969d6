package dev.pgkafka.domain.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TopicIdsTest {

    @Test
    void randomIdsAreNeverZeroAndPrintAs22UrlSafeCharactersNotStartingWithDash() {
        Set<UUID> seen = new HashSet<>();
        // a random id's base64 starts with '-' one time in 64: 20 000 draws exercise the retry ~300 times
        for (int i = 0; i < 20_000; i++) {
            UUID id = TopicIds.random();
            assertNotEquals(TopicIds.ZERO, id);
            String text = TopicIds.base64(id);
            assertEquals(22, text.length(), text);
            assertFalse(text.startsWith("-"), text);
            assertEquals(-1, indexOfNonUrlSafe(text), text);
            seen.add(id);
        }
        assertEquals(20_000, seen.size(), "ids repeat");
    }

    @Test
    void base64IsKafkasUnpaddedUrlSafeForm() {
        // Kafka's Uuid.toString: URL-safe base64 of the 16 bytes, most significant first, no padding
        assertEquals("AAAAAAAAAAAAAAAAAAAAAA", TopicIds.base64(TopicIds.ZERO));
        assertEquals("AAAAAAAAAAAAAAAAAAAAAQ", TopicIds.base64(new UUID(0L, 1L)));
        assertEquals("AAAAAAAAAAEAAAAAAAAAAA", TopicIds.base64(new UUID(1L, 0L)));
        assertEquals("_____________________w", TopicIds.base64(new UUID(-1L, -1L)));
        // first six bits 111110 (62) print as '-': why random() has to skip such ids
        assertEquals('-', TopicIds.base64(new UUID(0xFBFFFFFFFFFFFFFFL, -1L)).charAt(0));
    }

    private static int indexOfNonUrlSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
                return i;
            }
        }
        return -1;
    }
}
