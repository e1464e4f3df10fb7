package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.OptionalLong;

/**
 * A literal checked against the attribute it is compared with, as the official converter does it (parseSQLVal and
 * validateValueType): Int and Double take any number, Bool only true/false, Keyword, KeywordList and Text only
 * strings (Text not blank), Datetime an RFC 3339 string or integer epoch nanoseconds; ExecutionStatus and
 * ExecutionDuration have their own readings. Returns the value to compare: String, Long, Double, Boolean,
 * {@link Datetime} or {@link ExecutionStatuses.Status}.
 */
final class TypedValues {
    /** A Datetime value, kept apart from plain integers so a sign in front of it is refused as the official does. */
    record Datetime(long epochNanos) {}

    static final String EXECUTION_STATUS_COLUMN = "status";
    static final String EXECUTION_DURATION_COLUMN = "execution_duration";
    private static final String EXECUTION_DURATION = "ExecutionDuration";

    private TypedValues() {}

    /**
     * A string or number literal (parseSQLVal). ExecutionStatus and ExecutionDuration are known by their column, as
     * the official knows them by their field name rather than by the name the user wrote.
     */
    static Object ofLiteral(VisibilityField field, Object literal) {
        return switch (field.column()) {
            case EXECUTION_STATUS_COLUMN -> ExecutionStatuses.of(literal);
            case EXECUTION_DURATION_COLUMN -> duration(literal);
            default -> check(field, literal);
        };
    }

    /** Any literal, true/false included (validateValueType). */
    static Object check(VisibilityField field, Object literal) {
        IndexedValueType type = field.type();
        return switch (type) {
            case INDEXED_VALUE_TYPE_INT, INDEXED_VALUE_TYPE_DOUBLE -> {
                if (!(literal instanceof Long) && !(literal instanceof Double)) {
                    throw QueryErrors.invalidValueType(field, literal);
                }
                yield literal;
            }
            case INDEXED_VALUE_TYPE_BOOL -> {
                if (!(literal instanceof Boolean)) {
                    throw QueryErrors.invalidValueType(field, literal);
                }
                yield literal;
            }
            case INDEXED_VALUE_TYPE_DATETIME -> switch (literal) {
                case Long nanos -> new Datetime(nanos);
                case String text -> new Datetime(DatetimeLiterals.epochNanos(text).orElseThrow(
                        () -> QueryErrors.invalidExpression("unable to parse datetime '" + text + "'")));
                default -> throw QueryErrors.invalidValueType(field, literal);
            };
            case INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_KEYWORD_LIST -> {
                if (!(literal instanceof String)) {
                    throw QueryErrors.invalidValueType(field, literal);
                }
                yield literal;
            }
            case INDEXED_VALUE_TYPE_TEXT -> {
                if (!(literal instanceof String text)) {
                    throw QueryErrors.invalidValueType(field, literal);
                }
                if (GoFormat.trimSpace(text).isEmpty()) {
                    throw QueryErrors.invalidExpression(
                            "no tokens found filtering on Text type search attribute " + field.name());
                }
                yield text;
            }
            default -> throw QueryErrors.invalidExpression(
                    "unknown search attribute type " + GoFormat.typeName(type) + " for " + field.name());
        };
    }

    private static Long duration(Object literal) {
        return switch (literal) {
            case Long nanos -> nanos;
            case String text -> {
                OptionalLong nanos = DurationLiterals.nanos(text);
                if (nanos.isEmpty()) {
                    throw QueryErrors.invalidExpression(
                            "invalid duration value for search attribute " + EXECUTION_DURATION + ": " + text);
                }
                yield nanos.getAsLong();
            }
            default -> throw QueryErrors.unexpectedValueType(literal, EXECUTION_DURATION);
        };
    }
}
