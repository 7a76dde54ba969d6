package dev.pgkafka.application.port.in;

import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;

/** CreateAcls, DescribeAcls and DeleteAcls: the ACLs kept in storage, as Kafka's standard authorizer manages them. */
public interface AclAdminUseCase {

    /** One result per binding, in order. */
    List<Result> createAcls(List<AclBinding> bindings);

    /** The bindings the filter selects, or an error (an invalid filter). */
    DescribeResult describeAcls(AclBindingFilter filter);

    /** One result per filter, in order: the bindings each removed. */
    List<DeleteResult> deleteAcls(List<AclBindingFilter> filters);

    /** NONE, or an error code with Kafka's message. */
    record Result(ErrorCode error, String message) {
        public static final Result OK = new Result(ErrorCode.NONE, null);
    }

    record DescribeResult(ErrorCode error, String message, List<AclBinding> bindings) {
    }

    record DeleteResult(ErrorCode error, String message, List<AclBinding> deleted) {
    }
}
