package io.tempora.frontend.admin;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.tempora.common.proto.admin.ListDeadLettersResponse;
import io.tempora.frontend.Calls;
import io.tempora.common.rpc.DeadLetterAdmin;

/** Serves tempora.admin.AdminService: what the server holds in memory, and the history task dead-letter queue. */
public final class AdminServiceHandler {
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 10_000;

    private AdminServiceHandler() {}

    /** {@code memory} describes what the server holds in memory now. */
    public static ServerServiceDefinition service(DeadLetterAdmin deadLetters,
                                                  java.util.function.Supplier<io.tempora.common.proto.admin.DescribeServerResponse> memory) {
        return ServerServiceDefinition.builder(AdminMethods.SERVICE)
                .addMethod(AdminMethods.DESCRIBE_SERVER, ServerCalls.asyncUnaryCall((request, observer) -> Calls.unary(observer, memory::get)))
                .addMethod(AdminMethods.LIST_DEAD_LETTERS, ServerCalls.asyncUnaryCall((request, observer) -> Calls.unary(observer, () -> {
                    int size = request.getPageSize() <= 0 ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
                    return ListDeadLettersResponse.newBuilder().addAllDeadLetters(deadLetters.list(request.getShardId(), size)).build();
                })))
                .addMethod(AdminMethods.RERUN_DEAD_LETTERS, ServerCalls.asyncUnaryCall((request, observer) ->
                        Calls.unary(observer, () -> deadLetters.rerun(request))))
                .addMethod(AdminMethods.PURGE_DEAD_LETTERS, ServerCalls.asyncUnaryCall((request, observer) ->
                        Calls.unary(observer, () -> deadLetters.purge(request))))
                .build();
    }
}
