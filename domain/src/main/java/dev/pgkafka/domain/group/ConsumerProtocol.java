package dev.pgkafka.domain.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of Kafka's consumer protocol (the member metadata and assignments of protocol type
 * {@code consumer}) the broker reads: the subscribed topics and the assigned partitions. Every
 * version of both starts with the fields of version 0, which is all that is read, as Kafka does.
 */
public final class ConsumerProtocol {
    private ConsumerProtocol() {
    }

    /** The topics of a consumer's subscription, or null when the bytes are not one. */
    public static List<String> subscribedTopics(byte[] subscription) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(subscription);
            if (buffer.getShort() < 0) {
                return null;
            }
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining() / 2) {
                return null;
            }
            List<String> topics = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = string(buffer);
                if (topic == null) {
                    return null;
                }
                topics.add(topic);
            }
            return topics;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The partitions of a consumer's assignment by topic, or null when the bytes are not one. */
    public static Map<String, List<Integer>> assignedPartitions(byte[] assignment) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(assignment);
            if (buffer.getShort() < 0) {
                return null;
            }
            int topics = buffer.getInt();
            if (topics < 0 || topics > buffer.remaining() / 6) {
                return null;
            }
            Map<String, List<Integer>> result = new LinkedHashMap<>();
            for (int t = 0; t < topics; t++) {
                String topic = string(buffer);
                int partitions = buffer.getInt();
                if (topic == null || partitions < 0 || partitions > buffer.remaining() / 4) {
                    return null;
                }
                List<Integer> list = new ArrayList<>(partitions);
                for (int p = 0; p < partitions; p++) {
                    list.add(buffer.getInt());
                }
                result.put(topic, list);
            }
            return result;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String string(ByteBuffer buffer) {
        int length = buffer.getShort();
        if (length < 0 || length > buffer.remaining()) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
