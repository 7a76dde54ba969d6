package dev.pgkafka.domain.topic;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Topic ids as Kafka makes them: random, never the all-zero id, never one whose base64 form starts with '-'. */
public final class TopicIds {
    public static final UUID ZERO = new UUID(0L, 0L);

    private TopicIds() {
    }

    public static UUID random() {
        while (true) {
            UUID id = UUID.randomUUID();
            if (!id.equals(ZERO) && !base64(id).startsWith("-")) {
                return id;
            }
        }
    }

    /** The URL-safe, unpadded base64 form Kafka prints topic ids and cluster ids in. */
    public static String base64(UUID id) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
