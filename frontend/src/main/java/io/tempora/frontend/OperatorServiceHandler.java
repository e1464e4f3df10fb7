package io.tempora.frontend;

import io.grpc.stub.StreamObserver;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.AddSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.operatorservice.v1.DeleteNamespaceResponse;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesResponse;

/** The OperatorService calls Tempora serves; every other one answers UNIMPLEMENTED. */
public final class OperatorServiceHandler extends OperatorServiceGrpc.OperatorServiceImplBase {
    private final SearchAttributesApi searchAttributes;
    private final NamespaceDeleteApi namespaces;

    public OperatorServiceHandler(SearchAttributesApi searchAttributes, io.tempora.persistence.NamespaceRegistry registry) {
        this.searchAttributes = searchAttributes;
        this.namespaces = new NamespaceDeleteApi(registry);
    }

    @Override
    public void deleteNamespace(DeleteNamespaceRequest request, StreamObserver<DeleteNamespaceResponse> observer) {
        Calls.unary(observer, () -> namespaces.delete(request));
    }

    @Override
    public void addSearchAttributes(AddSearchAttributesRequest request, StreamObserver<AddSearchAttributesResponse> observer) {
        Calls.unary(observer, () -> searchAttributes.add(request));
    }

    @Override
    public void removeSearchAttributes(RemoveSearchAttributesRequest request, StreamObserver<RemoveSearchAttributesResponse> observer) {
        Calls.unary(observer, () -> searchAttributes.remove(request));
    }

    @Override
    public void listSearchAttributes(ListSearchAttributesRequest request, StreamObserver<ListSearchAttributesResponse> observer) {
        Calls.unary(observer, () -> searchAttributes.list(request));
    }
}
