package io.tempora.common.searchattribute;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The search attributes every namespace has (system and predefined, as the official server defines them in
 * common/searchattribute/sadefs) and the rules for the custom ones a user registers.
 */
public final class SearchAttributeDefinitions {
    private SearchAttributeDefinitions() {}

    /** Maintained by the server; a workflow cannot set them. */
    public static final Map<String, IndexedValueType> SYSTEM = ordered(
            "WorkflowId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "RunId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "WorkflowType", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TaskQueue", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "ExecutionStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "ParentWorkflowId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "ParentRunId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "RootWorkflowId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "RootRunId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "StartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "ExecutionTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "CloseTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "HistoryLength", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "ExecutionDuration", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "StateTransitionCount", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "HistorySizeBytes", IndexedValueType.INDEXED_VALUE_TYPE_INT);

    /** Predefined and settable by workflows and the SDKs (e.g. TemporalChangeVersion from getVersion). */
    public static final Map<String, IndexedValueType> PREDEFINED = ordered(
            "TemporalChangeVersion", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
            "BinaryChecksums", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
            "BuildIds", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
            "BatcherNamespace", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "BatcherUser", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TemporalScheduledStartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "TemporalScheduledById", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TemporalSchedulePaused", IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
            "TemporalNamespaceDivision", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TemporalPauseInfo", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
            "TemporalReportedProblems", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);

    /** Predefined but set by the server only. */
    public static final Map<String, IndexedValueType> PREDEFINED_READ_ONLY = ordered(
            "TemporalWorkerDeploymentVersion", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TemporalWorkerDeployment", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TemporalWorkflowVersioningBehavior", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "TemporalUsedWorkerDeploymentVersions", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);

    private static final Set<String> RESERVED_OTHERS = Set.of("NamespaceId", "Memo", "MemoEncoding", "VisibilityTaskKey");

    /** How many custom attributes of a type a namespace may have: the columns the official SQL visibility schema has. */
    private static final Map<IndexedValueType, Integer> MAX_CUSTOM_OF_TYPE = Map.of(
            IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, 10,
            IndexedValueType.INDEXED_VALUE_TYPE_TEXT, 3,
            IndexedValueType.INDEXED_VALUE_TYPE_INT, 3,
            IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE, 3,
            IndexedValueType.INDEXED_VALUE_TYPE_BOOL, 3,
            IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, 3,
            IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST, 3);

    /** System and predefined attributes, as ListSearchAttributes reports them. */
    public static Map<String, IndexedValueType> systemAttributes() {
        Map<String, IndexedValueType> all = new LinkedHashMap<>(SYSTEM);
        all.putAll(PREDEFINED);
        all.putAll(PREDEFINED_READ_ONLY);
        return all;
    }

    /** A name no custom attribute may take. */
    public static boolean isReserved(String name) {
        return SYSTEM.containsKey(name) || PREDEFINED.containsKey(name) || PREDEFINED_READ_ONLY.containsKey(name)
                || RESERVED_OTHERS.contains(name) || name.startsWith("Temporal");
    }

    /** The visibility column of the {@code index}-th (from 1) custom attribute of a type: Keyword01, Int02 ... */
    public static String customColumn(IndexedValueType type, int index) {
        return String.format("%s%02d", typeName(type), index);
    }

    public static int maxCustomOfType(IndexedValueType type) {
        return MAX_CUSTOM_OF_TYPE.getOrDefault(type, 0);
    }

    /** "INDEXED_VALUE_TYPE_KEYWORD_LIST" -> "KeywordList", the name in payload metadata, messages and the CLI. */
    public static String typeName(IndexedValueType type) {
        StringBuilder sb = new StringBuilder();
        for (String part : type.name().replace("INDEXED_VALUE_TYPE_", "").split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /** A type by its short name, case-insensitively ("keyword", "KeywordList"); empty if there is none. */
    public static Optional<IndexedValueType> parseTypeName(String name) {
        for (IndexedValueType t : IndexedValueType.values()) {
            if (t != IndexedValueType.UNRECOGNIZED && t != IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED
                    && typeName(t).equalsIgnoreCase(name.trim())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static Map<String, IndexedValueType> ordered(Object... pairs) {
        Map<String, IndexedValueType> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (IndexedValueType) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
