package dev.pgkafka.domain.group;

import dev.pgkafka.domain.error.ErrorCode;

/** The answer to a SyncGroup: the member's assignment, or an error (protocol type and name are then null). */
public record SyncResult(ErrorCode error, String protocolType, String protocolName, byte[] assignment) {
    public SyncResult {
        assignment = assignment == null ? new byte[0] : assignment;
    }

    public static SyncResult error(ErrorCode error) {
        return new SyncResult(error, null, null, new byte[0]);
    }
}
