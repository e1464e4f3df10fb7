package io.tempora.common.searchattribute;

import io.tempora.common.proto.NamespaceRecord;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.Map;
import java.util.TreeMap;

/** The custom search attributes registered in a namespace, by name. */
public final class CustomSearchAttributes {
    private CustomSearchAttributes() {}

    public static Map<String, IndexedValueType> of(NamespaceRecord ns) {
        Map<String, IndexedValueType> types = new TreeMap<>();
        ns.getSearchAttributesMap().forEach((name, type) -> types.put(name, IndexedValueType.forNumber(type)));
        return types;
    }
}
