package dev.pgkafka.domain.group.consumer;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * The answer to a ConsumerGroupHeartbeat.
 *
 * @param assignment the member's partitions when it must (re)learn them, else null (unchanged)
 */
public record ConsumerHeartbeatResult(ErrorCode error, String errorMessage, String memberId, int memberEpoch,
                                      int heartbeatIntervalMs, Map<UUID, Set<Integer>> assignment) {

    public static ConsumerHeartbeatResult error(ErrorCode error, String message) {
        return new ConsumerHeartbeatResult(error, message, null, 0, 0, null);
    }

    public boolean isError() {
        return error != ErrorCode.NONE;
    }
}
