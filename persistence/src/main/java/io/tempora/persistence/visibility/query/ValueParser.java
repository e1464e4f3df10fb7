package io.tempora.persistence.visibility.query;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;

/**
 * The right-hand side of a comparison as the official parseValueExpr reads it: a literal (checked against the
 * attribute by {@link TypedValues}), a signed number, or a parenthesised list of those (a {@link List}); anything
 * else, columns, functions and subqueries included, is refused with its message.
 */
final class ValueParser {
    private ValueParser() {}

    static Object parse(Expression node, VisibilityField field) {
        return switch (node) {
            case StringValue s -> TypedValues.ofLiteral(field, Literals.string(s));
            case Column c when Literals.isDoubleQuoted(c) -> TypedValues.ofLiteral(field, Literals.doubleQuoted(c));
            case LongValue l -> TypedValues.ofLiteral(field, Literals.integer(l, false));
            case DoubleValue d -> TypedValues.ofLiteral(field, Literals.decimal(d));
            case HexValue h -> throw QueryErrors.unparsableValue(h.toString());
            case JdbcParameter p -> throw QueryErrors.unparsableValue(p.toString());
            case JdbcNamedParameter p -> throw QueryErrors.unparsableValue(p.toString());
            case BooleanValue b -> TypedValues.check(field, b.getValue());
            case ParenthesedExpressionList<?> list -> {
                List<Object> values = new ArrayList<>(list.size());
                for (Expression item : list) {
                    values.add(parse(item, field));
                }
                yield values;
            }
            case SignedExpression signed -> signed(signed, field);
            case NotExpression not when not.isExclamationMark() ->
                    throw QueryErrors.notSupported("unary operator " + GoFormat.quote("!"));
            case Function f -> throw QueryErrors.notSupported("nested func");
            case Column c -> throw QueryErrors.notSupported(
                    "column name on the right side of comparison expression (did you forget to quote "
                            + GoFormat.quote(c.toString()) + "?)");
            default -> throw QueryErrors.unexpectedValueType(NodeNames.of(node));
        };
    }

    private static Object signed(SignedExpression signed, VisibilityField field) {
        char sign = signed.getSign();
        if (sign != '-' && sign != '+') {
            throw QueryErrors.notSupported("unary operator " + GoFormat.quote(String.valueOf(sign)));
        }
        // The official grammar folds signs into an integer literal ("- -1" is 1), so such a literal is read signed.
        boolean negative = sign == '-';
        Expression operand = signed.getExpression();
        while (operand instanceof SignedExpression inner && (inner.getSign() == '-' || inner.getSign() == '+')
                && foldsToInteger(inner)) {
            negative ^= inner.getSign() == '-';
            operand = inner.getExpression();
        }
        if (operand instanceof LongValue integer) {
            return TypedValues.ofLiteral(field, Literals.integer(integer, negative));
        }
        if (!(operand instanceof DoubleValue || operand instanceof HexValue)) {
            throw QueryErrors.invalidExpression("unary operator not supported in " + GoFormat.quote(signed.toString()));
        }
        Object value = parse(operand, field);
        return switch (value) {
            case Double d -> negative ? -d : d;
            case Long l -> negative ? -l : l;
            // A status or a datetime has no sign.
            default -> throw QueryErrors.invalidExpression("unary expression " + GoFormat.quote(signed.toString()));
        };
    }

    private static boolean foldsToInteger(SignedExpression signed) {
        Expression operand = signed.getExpression();
        while (operand instanceof SignedExpression inner) {
            if (inner.getSign() != '-' && inner.getSign() != '+') {
                return false;
            }
            operand = inner.getExpression();
        }
        return operand instanceof LongValue;
    }
}
