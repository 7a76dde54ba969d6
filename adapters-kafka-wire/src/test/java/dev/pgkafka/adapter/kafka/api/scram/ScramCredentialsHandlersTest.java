package dev.pgkafka.adapter.kafka.api.scram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.security.scram.ScramMechanism;

/** The two SCRAM APIs translate to the use case and back, and ask Kafka's cluster permissions first. */
class ScramCredentialsHandlersTest {
    private final List<String> describedUsers = new ArrayList<>();
    private final List<ScramCredentialsUseCase.Upsertion> upserted = new ArrayList<>();
    private final List<ScramCredentialsUseCase.Deletion> deleted = new ArrayList<>();
    private final List<Action> asked = new ArrayList<>();

    private final ScramCredentialsUseCase useCase = new ScramCredentialsUseCase() {
        @Override
        public List<UserDescription> describe(List<String> users) {
            describedUsers.addAll(users);
            return List.of(new UserDescription("alice", ErrorCode.NONE, null, List.of(
                            new CredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                            new CredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192))),
                    new UserDescription("nobody", ErrorCode.RESOURCE_NOT_FOUND, "not there", List.of()));
        }

        @Override
        public List<AlterResult> alter(List<Upsertion> upsertions, List<Deletion> deletions) {
            upserted.addAll(upsertions);
            deleted.addAll(deletions);
            return List.of(new AlterResult("alice", ErrorCode.NONE, null),
                    new AlterResult("bob", ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too few iterations"));
        }
    };

    private AuthHelper auth(boolean allow) {
        return new AuthHelper(new AuthorizationUseCase() {
            @Override
            public boolean isEnabled() {
                return true;
            }

            @Override
            public List<Boolean> authorize(Requester requester, List<Action> actions) {
                asked.addAll(actions);
                return actions.stream().map(a -> allow).toList();
            }

            @Override
            public boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType type) {
                return allow;
            }
        });
    }

    private static RequestContext context(ApiKeys key) {
        return new RequestContext(7, new InetSocketAddress("127.0.0.1", 5555), "admin-client", key, (short) 0, 3);
    }

    @Test
    void describeAnswersMechanismCodesAndIterationsPerUser() {
        DescribeUserScramCredentialsRequestData request = new DescribeUserScramCredentialsRequestData().setUsers(List.of(
                new DescribeUserScramCredentialsRequestData.UserName().setName("alice"),
                new DescribeUserScramCredentialsRequestData.UserName().setName("nobody")));
        DescribeUserScramCredentialsResponseData response = (DescribeUserScramCredentialsResponseData)
                new DescribeUserScramCredentialsHandler(useCase, auth(true))
                        .handle(context(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS), request).body();

        assertEquals(List.of("alice", "nobody"), describedUsers);
        assertEquals(new Action(AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, true, true),
                asked.getFirst());
        assertEquals(0, response.errorCode());
        assertEquals("alice", response.results().get(0).user());
        assertEquals(List.of((byte) 1, (byte) 2), response.results().get(0).credentialInfos().stream()
                .map(DescribeUserScramCredentialsResponseData.CredentialInfo::mechanism).toList());
        assertEquals(8192, response.results().get(0).credentialInfos().get(1).iterations());
        assertEquals(Errors.RESOURCE_NOT_FOUND.code(), response.results().get(1).errorCode());
        assertEquals("not there", response.results().get(1).errorMessage());
    }

    @Test
    void describeOfAllUsersAcceptsANullList() {
        DescribeUserScramCredentialsRequestData request = new DescribeUserScramCredentialsRequestData().setUsers(null);
        new DescribeUserScramCredentialsHandler(useCase, auth(true)).handle(context(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS),
                request);
        assertEquals(List.of(), describedUsers);
    }

    @Test
    void describeWithoutClusterDescribeIsKafkasErrorResponse() {
        DescribeUserScramCredentialsRequestData request = new DescribeUserScramCredentialsRequestData().setUsers(List.of(
                new DescribeUserScramCredentialsRequestData.UserName().setName("alice")));
        DescribeUserScramCredentialsResponseData response = (DescribeUserScramCredentialsResponseData)
                new DescribeUserScramCredentialsHandler(useCase, auth(false))
                        .handle(context(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS), request).body();

        assertTrue(describedUsers.isEmpty(), "nothing was read");
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), response.errorCode());
        assertEquals("Cluster authorization failed.", response.errorMessage());
        assertEquals(1, response.results().size());
        assertEquals("", response.results().getFirst().user(), "Kafka leaves the user empty");
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), response.results().getFirst().errorCode());
    }

    @Test
    void alterPassesSaltedPasswordsThroughAndAnswersPerUser() {
        AlterUserScramCredentialsRequestData request = new AlterUserScramCredentialsRequestData();
        request.upsertions().add(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion().setName("alice")
                .setMechanism((byte) 2).setIterations(8192).setSalt(new byte[] {1, 2}).setSaltedPassword(new byte[] {3, 4}));
        request.deletions().add(new AlterUserScramCredentialsRequestData.ScramCredentialDeletion().setName("bob")
                .setMechanism((byte) 0));
        AlterUserScramCredentialsResponseData response = (AlterUserScramCredentialsResponseData)
                new AlterUserScramCredentialsHandler(useCase, auth(true))
                        .handle(context(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS), request).body();

        assertEquals(new Action(AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, true, true),
                asked.getFirst());
        ScramCredentialsUseCase.Upsertion u = upserted.getFirst();
        assertEquals("alice", u.user());
        assertEquals(2, u.mechanismType());
        assertEquals(8192, u.iterations());
        assertArrayEquals(new byte[] {1, 2}, u.salt());
        assertArrayEquals(new byte[] {3, 4}, u.saltedPassword());
        assertEquals(new ScramCredentialsUseCase.Deletion("bob", 0), deleted.getFirst());
        assertEquals(0, response.results().get(0).errorCode());
        assertNull(response.results().get(0).errorMessage());
        assertEquals(Errors.UNACCEPTABLE_CREDENTIAL.code(), response.results().get(1).errorCode());
        assertEquals("Too few iterations", response.results().get(1).errorMessage());
    }

    @Test
    void alterWithoutClusterAlterFailsEveryUserNamedOnceAndSorted() {
        AlterUserScramCredentialsRequestData request = new AlterUserScramCredentialsRequestData();
        request.upsertions().add(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion().setName("zed")
                .setMechanism((byte) 1).setIterations(4096).setSalt(new byte[] {1}).setSaltedPassword(new byte[] {2}));
        request.deletions().add(new AlterUserScramCredentialsRequestData.ScramCredentialDeletion().setName("amy")
                .setMechanism((byte) 1));
        request.deletions().add(new AlterUserScramCredentialsRequestData.ScramCredentialDeletion().setName("zed")
                .setMechanism((byte) 2));
        AlterUserScramCredentialsResponseData response = (AlterUserScramCredentialsResponseData)
                new AlterUserScramCredentialsHandler(useCase, auth(false))
                        .handle(context(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS), request).body();

        assertTrue(upserted.isEmpty() && deleted.isEmpty(), "nothing was changed");
        assertEquals(List.of("amy", "zed"), response.results().stream()
                .map(AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult::user).toList());
        response.results().forEach(r -> {
            assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), r.errorCode());
            assertTrue(r.errorMessage().endsWith(" needs ALTER permission."), r.errorMessage());
        });
    }
}
