package io.tempora.common;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.api.errordetails.v1.NamespaceAlreadyExistsFailure;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure;

/**
 * Builds the gRPC errors the official server sends, with the same status codes and error details
 * (google.rpc.Status details are what the SDKs decode into typed exceptions).
 */
public final class ServiceErrors {
    private ServiceErrors() {}

    public static StatusRuntimeException of(Code code, String message, Message detail) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message);
        if (detail != null) {
            status.addDetails(Any.pack(detail));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    public static StatusRuntimeException invalidArgument(String message) {
        return of(Code.INVALID_ARGUMENT, message, null);
    }

    public static StatusRuntimeException notFound(String message) {
        return of(Code.NOT_FOUND, message, NotFoundFailure.getDefaultInstance());
    }

    public static StatusRuntimeException failedPrecondition(String message) {
        return of(Code.FAILED_PRECONDITION, message, null);
    }

    public static StatusRuntimeException internal(String message) {
        return of(Code.INTERNAL, message, null);
    }

    public static StatusRuntimeException unavailable(String message) {
        return of(Code.UNAVAILABLE, message, null);
    }

    public static StatusRuntimeException namespaceNotFound(String namespace) {
        return of(Code.NOT_FOUND, "Namespace " + namespace + " is not found.",
                NamespaceNotFoundFailure.newBuilder().setNamespace(namespace).build());
    }

    public static StatusRuntimeException namespaceAlreadyExists(String namespace) {
        return of(Code.ALREADY_EXISTS, "Namespace already exists.", NamespaceAlreadyExistsFailure.getDefaultInstance());
    }

    public static StatusRuntimeException workflowAlreadyStarted(String message, String startRequestId, String runId) {
        return of(Code.ALREADY_EXISTS, message, WorkflowExecutionAlreadyStartedFailure.newBuilder()
                .setStartRequestId(startRequestId)
                .setRunId(runId)
                .build());
    }

    public static StatusRuntimeException workflowCompleted() {
        return notFound("workflow execution already completed");
    }
}
