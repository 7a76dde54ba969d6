package dev.pgkafka.adapter.kafka.api.scram;

import java.util.List;
import java.util.TreeSet;

import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.Deletion;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.Upsertion;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * AlterUserScramCredentials: upserts (salt, salted password and iterations, salted by the client)
 * and deletions of SCRAM credentials, one result per user. Needs ALTER on the cluster, as in Kafka.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler {
    private final ScramCredentialsUseCase credentials;
    private final AuthHelper auth;

    public AlterUserScramCredentialsHandler(ScramCredentialsUseCase credentials, AuthHelper auth) {
        this.credentials = credentials;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        AlterUserScramCredentialsRequestData request = (AlterUserScramCredentialsRequestData) message;
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData().setThrottleTimeMs(0);
        if (!auth.authorizeCluster(context, AclOperation.ALTER)) {
            // Kafka's controller: every user named, sorted, with the error of its authorizeClusterOperation
            TreeSet<String> users = new TreeSet<>();
            request.deletions().forEach(d -> users.add(d.name()));
            request.upsertions().forEach(u -> users.add(u.name()));
            String text = "Request " + context + " needs ALTER permission.";
            for (String user : users) {
                response.results().add(new AlterUserScramCredentialsResult().setUser(user)
                        .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()).setErrorMessage(text));
            }
            return Response.of(response);
        }
        List<Upsertion> upsertions = request.upsertions().stream()
                .map(u -> new Upsertion(u.name(), u.mechanism(), u.iterations(), u.salt(), u.saltedPassword()))
                .toList();
        List<Deletion> deletions = request.deletions().stream()
                .map(d -> new Deletion(d.name(), d.mechanism()))
                .toList();
        for (ScramCredentialsUseCase.AlterResult r : credentials.alter(upsertions, deletions)) {
            response.results().add(new AlterUserScramCredentialsResult()
                    .setUser(r.user())
                    .setErrorCode(ErrorCodes.code(r.error()))
                    .setErrorMessage(r.message()));
        }
        return Response.of(response);
    }
}
