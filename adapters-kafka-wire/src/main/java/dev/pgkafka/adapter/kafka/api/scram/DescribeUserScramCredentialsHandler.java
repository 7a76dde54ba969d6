package dev.pgkafka.adapter.kafka.api.scram;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * DescribeUserScramCredentials: per user the mechanisms and iterations of their SCRAM credentials
 * (never a key), or all users when none is named. Needs DESCRIBE on the cluster, as in Kafka.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler {
    private final ScramCredentialsUseCase credentials;
    private final AuthHelper auth;

    public DescribeUserScramCredentialsHandler(ScramCredentialsUseCase credentials, AuthHelper auth) {
        this.credentials = credentials;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeUserScramCredentialsRequestData request = (DescribeUserScramCredentialsRequestData) message;
        if (request.users() == null) {
            // null means all users; Kafka's error response walks the list, and the dispatcher's uses it on failure
            request.setUsers(new ArrayList<>());
        }
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData()
                .setThrottleTimeMs(0);
        if (!auth.authorizeCluster(context, AclOperation.DESCRIBE)) {
            return Response.of(clusterAuthorizationFailed(request, response));
        }
        List<String> users = request.users().stream().map(DescribeUserScramCredentialsRequestData.UserName::name).toList();
        for (ScramCredentialsUseCase.UserDescription d : credentials.describe(users)) {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult()
                    .setUser(d.user())
                    .setErrorCode(ErrorCodes.code(d.error()))
                    .setErrorMessage(d.message());
            for (ScramCredentialsUseCase.CredentialInfo info : d.credentials()) {
                result.credentialInfos().add(new CredentialInfo()
                        .setMechanism(info.mechanism().type())
                        .setIterations(info.iterations()));
            }
            response.results().add(result);
        }
        return Response.of(response);
    }

    /** Kafka's error response: the error at the top and once per user asked, without the user's name. */
    private static DescribeUserScramCredentialsResponseData clusterAuthorizationFailed(
            DescribeUserScramCredentialsRequestData request, DescribeUserScramCredentialsResponseData response) {
        Errors error = Errors.CLUSTER_AUTHORIZATION_FAILED;
        response.setErrorCode(error.code()).setErrorMessage(error.message());
        for (int i = 0; i < request.users().size(); i++) {
            response.results().add(new DescribeUserScramCredentialsResult()
                    .setErrorCode(error.code())
                    .setErrorMessage(error.message()));
        }
        return response;
    }
}
