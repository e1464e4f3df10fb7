package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.Set;

/** Which operators each search attribute type takes, as the official converter.go allows them. */
final class Operators {
    static final String STARTS_WITH = "starts_with";
    static final String NOT_STARTS_WITH = "not starts_with";

    private static final Set<String> COMPARISON = Set.of("=", "!=", "<", ">", "<=", ">=", "in", "not in");
    private static final Set<String> KEYWORD =
            Set.of("=", "!=", "<", ">", "<=", ">=", "in", "not in", STARTS_WITH, NOT_STARTS_WITH);
    private static final Set<String> KEYWORD_LIST = Set.of("=", "!=", "in", "not in");
    private static final Set<String> TEXT = Set.of("=", "!=");
    private static final Set<IndexedValueType> RANGE = Set.of(
            IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
            IndexedValueType.INDEXED_VALUE_TYPE_INT,
            IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    private Operators() {}

    static boolean supports(IndexedValueType type, String operator) {
        return switch (type) {
            case INDEXED_VALUE_TYPE_KEYWORD -> KEYWORD.contains(operator);
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> KEYWORD_LIST.contains(operator);
            case INDEXED_VALUE_TYPE_TEXT -> TEXT.contains(operator);
            default -> COMPARISON.contains(operator);
        };
    }

    /** BETWEEN and NOT BETWEEN. */
    static boolean supportsRange(IndexedValueType type) {
        return RANGE.contains(type);
    }

    static boolean isList(String operator) {
        return operator.equals("in") || operator.equals("not in");
    }
}
