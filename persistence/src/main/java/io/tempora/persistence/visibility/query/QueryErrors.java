package io.tempora.persistence.visibility.query;

import java.util.Locale;

/**
 * The official converter's error texts (common/persistence/visibility/store/query: errors.go, converter.go,
 * resolve.go; store/sql and the SQLite plugin for the SQL-only ones), each wrapped as its ToInvalidArgument does.
 * The ones the official does not have (Tempora's limits) say so where they are made.
 */
final class QueryErrors {
    static final String MALFORMED = "malformed SQL query";
    static final String NOT_SUPPORTED = "operation is not supported";
    static final String INVALID_EXPRESSION = "invalid expression";

    private QueryErrors() {}

    static InvalidVisibilityQueryException malformed(String detail) {
        return of(MALFORMED + ": " + detail);
    }

    static InvalidVisibilityQueryException notSupported(String detail) {
        return of(NOT_SUPPORTED + ": " + detail);
    }

    static InvalidVisibilityQueryException invalidExpression(String detail) {
        return of(INVALID_EXPRESSION + ": " + detail);
    }

    static InvalidVisibilityQueryException invalidSearchAttribute(String name) {
        return of("invalid search attribute: " + name);
    }

    static InvalidVisibilityQueryException operatorNotSupported(VisibilityField field, String operator) {
        return notSupported("operator '" + operator.toUpperCase(Locale.ROOT) + "' not supported for "
                + GoFormat.typeName(field.type()) + " type search attribute '" + field.name() + "'");
    }

    static InvalidVisibilityQueryException invalidValueType(VisibilityField field, Object value) {
        return invalidExpression("invalid value type for search attribute " + field.name() + " of type "
                + GoFormat.typeName(field.type()) + ": " + GoFormat.goSyntax(value) + " (type: "
                + GoFormat.goType(value) + ")");
    }

    static InvalidVisibilityQueryException unexpectedValueType(String goType) {
        return invalidExpression("unexpected value type " + goType);
    }

    static InvalidVisibilityQueryException unexpectedValueType(Object value, String attribute) {
        return invalidExpression("unexpected value type " + GoFormat.goType(value) + " for search attribute "
                + attribute);
    }

    static InvalidVisibilityQueryException unparsableValue(String literal) {
        return invalidExpression("unable to parse value " + GoFormat.quote(literal));
    }

    static InvalidVisibilityQueryException mustBeColumn(String goType) {
        return invalidExpression("must be a column name but was " + goType);
    }

    /** Tempora's own limit: JSqlParser's time and the JVM stack grow with the nesting of a query. */
    static InvalidVisibilityQueryException tooDeep(int limit) {
        return notSupported("expression nested more than " + limit + " levels deep");
    }

    /** Tempora's own limit: SQLite binds at most 32766 values in one statement. */
    static InvalidVisibilityQueryException tooManyValues(int limit) {
        return notSupported("more than " + limit + " values in one query");
    }

    private static InvalidVisibilityQueryException of(String message) {
        return new InvalidVisibilityQueryException("invalid query: " + message);
    }
}
