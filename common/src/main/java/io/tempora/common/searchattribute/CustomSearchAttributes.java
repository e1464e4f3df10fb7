package io.tempora.common.searchattribute;

import io.tempora.common.proto.NamespaceRecord;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The custom search attributes registered in a namespace, by name, and the visibility column each one is stored in:
 * as the official SQL visibility, a namespace's custom attributes are aliases of a fixed set of typed columns
 * (Keyword01..10, Text01..03, Int01..03 ...), so every one of them can be indexed.
 */
public final class CustomSearchAttributes {
    private CustomSearchAttributes() {}

    public static Map<String, IndexedValueType> of(NamespaceRecord ns) {
        Map<String, IndexedValueType> types = new TreeMap<>();
        ns.getSearchAttributesMap().forEach((name, type) -> types.put(name, IndexedValueType.forNumber(type)));
        return types;
    }

    /** The column of every custom attribute; one registered before columns were stored gets a free one, by name order. */
    public static Map<String, String> columns(NamespaceRecord ns) {
        NamespaceRecord.Builder b = ns.toBuilder();
        assignColumns(b);
        return new TreeMap<>(b.getSearchAttributeColumnsMap());
    }

    /** Gives every registered attribute without a column the first free column of its type; drops unregistered ones. */
    public static void assignColumns(NamespaceRecord.Builder ns) {
        for (String name : Set.copyOf(ns.getSearchAttributeColumnsMap().keySet())) {
            if (!ns.containsSearchAttributes(name)) {
                ns.removeSearchAttributeColumns(name);
            }
        }
        Set<String> used = new HashSet<>(ns.getSearchAttributeColumnsMap().values());
        for (Map.Entry<String, Integer> e : new TreeMap<>(ns.getSearchAttributesMap()).entrySet()) {
            if (ns.containsSearchAttributeColumns(e.getKey())) {
                continue;
            }
            IndexedValueType type = IndexedValueType.forNumber(e.getValue());
            for (int i = 1; i <= SearchAttributeDefinitions.maxCustomOfType(type); i++) {
                String column = SearchAttributeDefinitions.customColumn(type, i);
                if (used.add(column)) {
                    ns.putSearchAttributeColumns(e.getKey(), column);
                    break;
                }
            }
        }
    }
}
