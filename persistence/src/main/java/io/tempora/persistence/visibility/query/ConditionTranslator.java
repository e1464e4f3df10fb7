package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;

/**
 * The WHERE part of a filter as SQL, node by node as the official converter walks it (convertWhereExpr): AND, OR,
 * NOT and parentheses around comparisons, BETWEEN and IS [NOT] NULL, each checked in the official's order (the
 * column, then the value, then the operator for the column's type).
 */
final class ConditionTranslator {
    static final int MAX_DEPTH = FilterParser.MAX_NESTING;

    private final Columns columns;
    private final Predicates predicates;

    ConditionTranslator(Columns columns, VisibilitySql dialect) {
        this.columns = columns;
        this.predicates = new Predicates(dialect);
    }

    SqlFragment translate(Expression where) {
        return condition(where, 0);
    }

    private SqlFragment condition(Expression node, int depth) {
        if (depth > MAX_DEPTH) {
            throw QueryErrors.tooDeep(MAX_DEPTH);
        }
        return switch (node) {
            case AndExpression and -> SqlFragment.join(each(chain(and, AndExpression.class), depth), "AND");
            case OrExpression or -> SqlFragment.join(each(chain(or, OrExpression.class), depth), "OR");
            // "!" is NOT in JSqlParser but a unary operator, refused here, in the official grammar.
            case NotExpression not when !not.isExclamationMark() -> condition(not.getExpression(), depth + 1).negate();
            case ParenthesedExpressionList<?> list when list.size() == 1 -> condition(list.getFirst(), depth + 1);
            case Between between -> negated(between.getLeftExpression(), left -> range(left, between));
            case IsNullExpression isNull when isNull.isUseIsNull() || isNull.isUseNotNull() ->
                    // JSqlParser's postfix ISNULL / NOTNULL, which the official parser does not know.
                    throw QueryErrors.malformed("syntax error near '" + (isNull.isUseIsNull() ? "ISNULL" : "NOTNULL")
                            + "'");
            case IsNullExpression isNull -> negated(isNull.getLeftExpression(),
                    left -> predicates.isNull(columns.resolve(left).column(), isNull.isNot()));
            case IsBooleanExpression isBoolean -> {
                columns.resolve(isBoolean.getLeftExpression());
                throw QueryErrors.invalidExpression(
                        "'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'");
            }
            case Function f -> throw QueryErrors.notSupported("function expression");
            case Column c when !Literals.isDoubleQuoted(c) ->
                    throw QueryErrors.invalidExpression("incomplete expression");
            default -> Comparisons.of(node).map(c -> negated(c.left(), left -> comparison(left, c))).orElseThrow(
                    () -> QueryErrors.notSupported("expression of type " + NodeNames.of(node)));
        };
    }

    private List<SqlFragment> each(List<Expression> operands, int depth) {
        List<SqlFragment> out = new ArrayList<>(operands.size());
        for (Expression operand : operands) {
            out.add(condition(operand, depth + 1));
        }
        return out;
    }

    /**
     * The operands of {@code a OR b OR c} in order. JSqlParser nests such a chain one level per operator, so it is
     * taken apart with a loop: a long flat filter must not cost stack.
     */
    private static List<Expression> chain(BinaryExpression root, Class<? extends BinaryExpression> kind) {
        List<Expression> operands = new ArrayList<>();
        Deque<Expression> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Expression next = pending.pop();
            if (kind.isInstance(next)) {
                BinaryExpression binary = (BinaryExpression) next;
                pending.push(binary.getRightExpression());
                pending.push(binary.getLeftExpression());
            } else {
                operands.add(next);
            }
        }
        return operands;
    }

    /**
     * JSqlParser reads {@code NOT NOT a = 1} as {@code NOT ((NOT a) = 1)}; a NOT it bound to the column (which the
     * user can only write that way) is the NOT of the condition, as the official reads it.
     */
    private static SqlFragment negated(Expression left, java.util.function.Function<Expression, SqlFragment> condition) {
        int nots = 0;
        while (left instanceof NotExpression not && !not.isExclamationMark()) {
            nots++;
            left = not.getExpression();
        }
        SqlFragment sql = condition.apply(left);
        for (int i = 0; i < nots; i++) {
            sql = sql.negate();
        }
        return sql;
    }

    private SqlFragment comparison(Expression left, Comparisons.Comparison comparison) {
        VisibilityField field = columns.resolve(left);
        Object value = ValueParser.parse(comparison.right(), field);
        String operator = comparison.operator();
        if (!Operators.supports(field.type(), operator)) {
            throw QueryErrors.operatorNotSupported(field, operator);
        }
        value = shaped(value, operator);
        String column = field.column();
        if (operator.equals(Operators.STARTS_WITH) || operator.equals(Operators.NOT_STARTS_WITH)) {
            if (!(value instanceof String prefix)) {
                // Only ExecutionStatus gets here (a Keyword whose column holds numbers).
                throw QueryErrors.invalidExpression("right-hand side of " + GoFormat.quote(operator)
                        + " operator must be a literal string (got: " + display(value) + ")");
            }
            return predicates.startsWith(column, operator.equals(Operators.NOT_STARTS_WITH), prefix);
        }
        return switch (field.type()) {
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> predicates.keywordList(column, operator,
                    value instanceof List<?> list ? new ArrayList<>(list) : List.of(value));
            case INDEXED_VALUE_TYPE_TEXT -> predicates.text(column, operator.equals("!="),
                    FtsQuery.tokens((String) value));
            default -> predicates.compare(column, operator, value);
        };
    }

    /**
     * IN takes a non-empty list of values, every other operator one value; a value in parentheses is that value, as
     * SQLite reads {@code ('x')} (and {@code IN (('a'), ('b'))}) in the official's SQL.
     */
    private static Object shaped(Object value, String operator) {
        if (!Operators.isList(operator)) {
            return single(value);
        }
        if (!(value instanceof List<?> list)) {
            throw QueryErrors.unexpectedValueType("*sqlparser.SQLVal"); // IN needs a list
        }
        if (list.isEmpty()) {
            throw QueryErrors.malformed("empty list after " + operator.toUpperCase(Locale.ROOT));
        }
        List<Object> values = new ArrayList<>(list.size());
        list.forEach(item -> values.add(single(item)));
        return values;
    }

    private static Object single(Object value) {
        while (value instanceof List<?> list) {
            if (list.size() != 1) {
                throw QueryErrors.unexpectedValueType("sqlparser.ValTuple");
            }
            value = list.getFirst();
        }
        return value;
    }

    private SqlFragment range(Expression left, Between between) {
        VisibilityField field = columns.resolve(left);
        IndexedValueType type = field.type();
        if (!Operators.supportsRange(type)) {
            throw QueryErrors.invalidExpression("cannot do range condition on search attribute '" + field.name()
                    + "' of type " + GoFormat.typeName(type));
        }
        Object from = shaped(ValueParser.parse(between.getBetweenExpressionStart(), field), "between");
        Object to = shaped(ValueParser.parse(between.getBetweenExpressionEnd(), field), "between");
        return predicates.between(field.column(), between.isNot(), from, to);
    }

    private static String display(Object value) {
        return value instanceof ExecutionStatuses.Status status ? status.name() : String.valueOf(value);
    }
}
