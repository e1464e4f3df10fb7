package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;

/**
 * Translates the visibility list filter of ListWorkflowExecutions and CountWorkflowExecutions into a WHERE clause
 * over {@code executions_visibility}, with the official SQL visibility's language, checks and messages (its unified
 * query converter): comparisons, IN, BETWEEN, STARTS_WITH, IS [NOT] NULL, AND/OR/NOT; {@code GROUP BY
 * ExecutionStatus} only; ORDER BY and LIMIT refused. A refused query throws {@link InvalidVisibilityQueryException}.
 *
 * <p>Unlike the official, the default {@code TemporalNamespaceDivision IS NULL} filter is not added here: an empty
 * query translates to an empty WHERE, and the caller owns the namespace filter.
 */
public final class VisibilityQueryTranslator {
    /** Below SQLite's default limit of 32766 bound values per statement, leaving room for the caller's own. */
    static final int MAX_PARAMS = 32_000;

    private final Columns columns;
    private final ConditionTranslator conditions;

    /** {@code resolver} maps a name as the user writes it to its attribute; empty when it is not one. */
    public VisibilityQueryTranslator(Function<String, Optional<VisibilityField>> resolver) {
        this(resolver, new SqliteVisibilitySql());
    }

    /** As above, writing the SQL of {@code dialect}'s database. */
    public VisibilityQueryTranslator(Function<String, Optional<VisibilityField>> resolver, VisibilitySql dialect) {
        this.columns = new Columns(resolver);
        this.conditions = new ConditionTranslator(columns, dialect);
    }

    public Translation translate(String query) {
        String filter = GoFormat.trimSpace(query == null ? "" : query);
        if (filter.isEmpty()) {
            return new Translation("", List.of(), false);
        }
        Statement statement = FilterParser.parse(filter);
        // The official's order: LIMIT, then the WHERE, GROUP BY and ORDER BY columns, then ORDER BY itself.
        SelectClauses clauses = SelectClauses.of(statement);
        SqlFragment where = clauses.where() == null ? null : conditions.translate(clauses.where());
        boolean groupByStatus = groupBy(clauses.groupBy());
        orderBy(clauses.orderBy());
        if (where == null) {
            return new Translation("", List.of(), groupByStatus);
        }
        if (where.params().size() > MAX_PARAMS) {
            throw QueryErrors.tooManyValues(MAX_PARAMS);
        }
        return new Translation("(" + where.text() + ")", where.params(), groupByStatus);
    }

    private boolean groupBy(GroupByElement groupBy) {
        if (groupBy == null) {
            return false;
        }
        List<?> fields = groupBy.getGroupByExpressionList();
        if (fields.size() != 1 || !groupBy.getGroupingSets().isEmpty() || groupBy.isMysqlWithRollup()) {
            throw QueryErrors.notSupported("'GROUP BY' clause supports only a single field");
        }
        VisibilityField field = columns.resolve((Expression) fields.getFirst());
        // The official also groups by TemporalNamespaceDivision and TemporalLowCardinalityKeyword*; Tempora's
        // count only groups by status.
        if (!field.column().equals(TypedValues.EXECUTION_STATUS_COLUMN)) {
            throw QueryErrors.notSupported("'GROUP BY' clause is not supported for search attribute " + field.name());
        }
        return true;
    }

    private void orderBy(List<OrderByElement> orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return;
        }
        for (OrderByElement element : orderBy) {
            VisibilityField field = columns.resolve(element.getExpression());
            if (field.type() == IndexedValueType.INDEXED_VALUE_TYPE_TEXT) {
                throw QueryErrors.notSupported(
                        "unable to sort by search attribute type " + GoFormat.typeName(field.type()));
            }
        }
        // The SQL store's own answer (store/sql/visibility_store.go): results come in the default order only.
        throw QueryErrors.notSupported("'ORDER BY' clause");
    }
}
