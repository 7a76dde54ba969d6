package dev.pgkafka.domain.group;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SyncGroup as the group sees it.
 *
 * @param protocolType null when the client did not say (before v5)
 * @param protocolName null when the client did not say (before v5)
 * @param assignments  the leader's assignment per member id; empty for followers
 */
public record SyncRequest(String memberId, String groupInstanceId, int generationId, String protocolType,
                          String protocolName, Map<String, byte[]> assignments) {
    public SyncRequest {
        assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
    }
}
