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

    public static StatusRuntimeException resourceExhausted(io.temporal.api.enums.v1.ResourceExhaustedCause cause,
                                                          io.temporal.api.enums.v1.ResourceExhaustedScope scope, String message) {
        return of(Code.RESOURCE_EXHAUSTED, message,
                io.temporal.api.errordetails.v1.ResourceExhaustedFailure.newBuilder().setCause(cause).setScope(scope).build());
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

    /** A request the namespace's state does not allow (e.g. a start in a deprecated or deleted namespace). */
    public static StatusRuntimeException namespaceInvalidState(String namespace, io.temporal.api.enums.v1.NamespaceState state,
                                                               java.util.List<io.temporal.api.enums.v1.NamespaceState> allowed) {
        String must = String.join(" or ", allowed.stream().map(Enum::name).toList());
        return of(Code.FAILED_PRECONDITION, "Namespace has invalid state: " + state.name() + ". Must be " + must + ".",
                io.temporal.api.errordetails.v1.NamespaceInvalidStateFailure.newBuilder().setNamespace(namespace).setState(state)
                        .addAllAllowedStates(allowed).build());
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

    /** The status an error carries on the wire (code, message, details), e.g. for one operation of a multi-operation. */
    public static com.google.rpc.Status statusOf(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status != null) {
            return status;
        }
        return com.google.rpc.Status.newBuilder().setCode(e.getStatus().getCode().value())
                .setMessage(e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription()).build();
    }

    public static com.google.rpc.Status ok() {
        return com.google.rpc.Status.newBuilder().setCode(Code.OK_VALUE).build();
    }

    /** The status of an operation that was not executed because another operation of the same request failed. */
    public static com.google.rpc.Status operationAborted() {
        return com.google.rpc.Status.newBuilder().setCode(Code.ABORTED_VALUE).setMessage("Operation was aborted.")
                .addDetails(Any.pack(io.temporal.api.failure.v1.MultiOperationExecutionAborted.getDefaultInstance())).build();
    }

    /**
     * ExecuteMultiOperation refused before it ran (the frontend's checks): one status per operation in
     * MultiOperationExecutionFailure.
     */
    public static StatusRuntimeException multiOperation(java.util.List<com.google.rpc.Status> statuses) {
        return multiOperation("MultiOperation could not be executed.", statuses);
    }

    /** [Start, Update] could not be executed: the message names the operation that failed, as the history service's. */
    public static StatusRuntimeException startWithUpdateFailed(com.google.rpc.Status start, com.google.rpc.Status update) {
        String reason = !isAborted(start) && start.getCode() != Code.OK_VALUE ? "Start failed: " + start.getMessage()
                : !isAborted(update) && update.getCode() != Code.OK_VALUE ? "Update failed: " + update.getMessage() : "Reason unknown";
        return multiOperation("MultiOperation could not be executed: " + reason, java.util.List.of(start, update));
    }

    /**
     * The call's own code is that of the first operation that neither succeeded nor was aborted because another
     * one failed (ABORTED if there is none), as the official server sends it.
     */
    private static StatusRuntimeException multiOperation(String message, java.util.List<com.google.rpc.Status> statuses) {
        io.temporal.api.errordetails.v1.MultiOperationExecutionFailure.Builder failure =
                io.temporal.api.errordetails.v1.MultiOperationExecutionFailure.newBuilder();
        Code code = null;
        for (com.google.rpc.Status s : statuses) {
            failure.addStatuses(io.temporal.api.errordetails.v1.MultiOperationExecutionFailure.OperationStatus.newBuilder()
                    .setCode(s.getCode()).setMessage(s.getMessage()).addAllDetails(s.getDetailsList()));
            if (code == null && s.getCode() != Code.OK_VALUE && !isAborted(s)) {
                code = Code.forNumber(s.getCode());
            }
        }
        return of(code == null ? Code.ABORTED : code, message, failure.build());
    }

    private static boolean isAborted(com.google.rpc.Status s) {
        return s.getDetailsList().stream().anyMatch(d -> d.is(io.temporal.api.failure.v1.MultiOperationExecutionAborted.class));
    }

    public static StatusRuntimeException workflowCompleted() {
        return notFound("workflow execution already completed");
    }
}
