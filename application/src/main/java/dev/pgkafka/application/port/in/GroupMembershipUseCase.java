package dev.pgkafka.application.port.in;

import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.JoinRequest;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.LeaveResult;
import dev.pgkafka.domain.group.MemberIdentity;
import dev.pgkafka.domain.group.SyncRequest;
import dev.pgkafka.domain.group.SyncResult;

/**
 * Be a member of a consumer group (Kafka's classic group protocol). JoinGroup and SyncGroup block
 * until the group's phase completes, as long as Kafka would hold them; callers run on virtual threads.
 */
public interface GroupMembershipUseCase {

    JoinResult joinGroup(String groupId, JoinRequest request);

    SyncResult syncGroup(String groupId, SyncRequest request);

    ErrorCode heartbeat(String groupId, String memberId, String groupInstanceId, int generationId);

    LeaveResult leaveGroup(String groupId, List<MemberIdentity> members);
}
