package io.tempora.frontend;

import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.searchattribute.CustomSearchAttributes;
import io.tempora.common.searchattribute.SearchAttributeDefinitions;
import io.tempora.persistence.NamespaceRegistry;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.AddSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The durable registry of custom search attributes per namespace behind Add/Remove/ListSearchAttributes, with the
 * official server's rules and messages for its SQL visibility (service/frontend/operator_handler.go).
 */
public final class SearchAttributesApi {
    private final NamespaceRegistry namespaces;

    public SearchAttributesApi(NamespaceRegistry namespaces) {
        this.namespaces = namespaces;
    }

    /** Registers attributes; one that exists already is left as it is (as the official server does). */
    public AddSearchAttributesResponse add(AddSearchAttributesRequest r) {
        if (r.getSearchAttributesCount() == 0) {
            throw ServiceErrors.invalidArgument("SearchAttributes are not set on request.");
        }
        r.getSearchAttributesMap().forEach((name, type) -> {
            if (SearchAttributeDefinitions.isReserved(name)) {
                throw ServiceErrors.invalidArgument("Search attribute " + name + " is reserved by system.");
            }
            if (type == IndexedValueType.UNRECOGNIZED || type == IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED) {
                throw ServiceErrors.invalidArgument("Unknown search attribute type: " + SearchAttributeDefinitions.typeName(
                        type == IndexedValueType.UNRECOGNIZED ? IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED : type) + ".");
            }
        });
        NamespaceRecord ns = namespace(r.getNamespace());
        namespaces.update(ns.getId(), current -> {
            Map<String, IndexedValueType> existing = CustomSearchAttributes.of(current);
            Map<IndexedValueType, Integer> counts = new EnumMap<>(IndexedValueType.class);
            existing.values().forEach(t -> counts.merge(t, 1, Integer::sum));
            NamespaceRecord.Builder next = current.toBuilder();
            CustomSearchAttributes.assignColumns(next); // columns of the names already there are fixed before any is added
            r.getSearchAttributesMap().forEach((name, type) -> {
                if (existing.containsKey(name) || next.containsSearchAttributes(name)) {
                    return;
                }
                int count = counts.merge(type, 1, Integer::sum);
                if (count > SearchAttributeDefinitions.maxCustomOfType(type)) {
                    throw ServiceErrors.invalidArgument("Unable to create search attributes: cannot have more than "
                            + SearchAttributeDefinitions.maxCustomOfType(type) + " search attribute of type "
                            + SearchAttributeDefinitions.typeName(type) + ".");
                }
                next.putSearchAttributes(name, type.getNumber());
            });
            CustomSearchAttributes.assignColumns(next);
            return next.build();
        });
        return AddSearchAttributesResponse.getDefaultInstance();
    }

    /** Removes custom attributes; names that are not registered are skipped, system ones are refused. */
    public RemoveSearchAttributesResponse remove(RemoveSearchAttributesRequest r) {
        if (r.getSearchAttributesCount() == 0) {
            throw ServiceErrors.invalidArgument("SearchAttributes are not set on request.");
        }
        List<String> nonCustom = new ArrayList<>();
        for (String name : r.getSearchAttributesList()) {
            if (SearchAttributeDefinitions.systemAttributes().containsKey(name)) {
                nonCustom.add(name);
            }
        }
        if (!nonCustom.isEmpty()) {
            throw ServiceErrors.invalidArgument("Unable to remove non-custom search attributes: [" + String.join(" ", nonCustom) + "].");
        }
        NamespaceRecord ns = namespace(r.getNamespace());
        namespaces.update(ns.getId(), current -> {
            NamespaceRecord.Builder next = current.toBuilder();
            CustomSearchAttributes.assignColumns(next);
            r.getSearchAttributesList().forEach(next::removeSearchAttributes);
            CustomSearchAttributes.assignColumns(next);
            return next.build();
        });
        return RemoveSearchAttributesResponse.getDefaultInstance();
    }

    public ListSearchAttributesResponse list(ListSearchAttributesRequest r) {
        NamespaceRecord ns = namespace(r.getNamespace());
        return ListSearchAttributesResponse.newBuilder()
                .putAllCustomAttributes(CustomSearchAttributes.of(ns))
                .putAllSystemAttributes(SearchAttributeDefinitions.systemAttributes())
                .build();
    }

    private NamespaceRecord namespace(String name) {
        if (name.isEmpty()) {
            throw ServiceErrors.invalidArgument("Namespace is not set on request.");
        }
        return namespaces.byName(name).orElseThrow(() -> ServiceErrors.namespaceNotFound(name));
    }
}
