package io.tempora.frontend.admin;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.tempora.common.proto.admin.DeadLettersRequest;
import io.tempora.common.proto.admin.DeadLettersResponse;
import io.tempora.common.proto.admin.ListDeadLettersRequest;
import io.tempora.common.proto.admin.ListDeadLettersResponse;

/** The methods of Tempora's admin service (tempora.admin.AdminService), shared by the server and the CLI. */
public final class AdminMethods {
    public static final String SERVICE = "tempora.admin.AdminService";

    public static final MethodDescriptor<ListDeadLettersRequest, ListDeadLettersResponse> LIST_DEAD_LETTERS =
            unary("ListDeadLetters", ListDeadLettersRequest.getDefaultInstance(), ListDeadLettersResponse.getDefaultInstance());
    public static final MethodDescriptor<DeadLettersRequest, DeadLettersResponse> RERUN_DEAD_LETTERS =
            unary("RerunDeadLetters", DeadLettersRequest.getDefaultInstance(), DeadLettersResponse.getDefaultInstance());
    public static final MethodDescriptor<DeadLettersRequest, DeadLettersResponse> PURGE_DEAD_LETTERS =
            unary("PurgeDeadLetters", DeadLettersRequest.getDefaultInstance(), DeadLettersResponse.getDefaultInstance());

    public static final MethodDescriptor<io.tempora.common.proto.admin.DescribeServerRequest, io.tempora.common.proto.admin.DescribeServerResponse>
            DESCRIBE_SERVER = unary("DescribeServer", io.tempora.common.proto.admin.DescribeServerRequest.getDefaultInstance(),
            io.tempora.common.proto.admin.DescribeServerResponse.getDefaultInstance());

    private AdminMethods() {}

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(String name, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }
}
