package io.tempora.persistence.visibility.query;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The Go type (%T) the official parser would have made of a node, for the messages that name it
 * ("must be a column name but was *sqlparser.SQLVal"); JSqlParser's own class name where there is no counterpart.
 */
final class NodeNames {
    private NodeNames() {}

    static String of(Object node) {
        return switch (node) {
            case null -> "<nil>";
            case StringValue v -> "*sqlparser.SQLVal";
            case LongValue v -> "*sqlparser.SQLVal";
            case DoubleValue v -> "*sqlparser.SQLVal";
            case HexValue v -> "*sqlparser.SQLVal";
            case JdbcParameter v -> "*sqlparser.SQLVal";
            case JdbcNamedParameter v -> "*sqlparser.SQLVal";
            case Column c when Literals.isDoubleQuoted(c) -> "*sqlparser.SQLVal";
            case Column c -> "*sqlparser.ColName";
            case NullValue v -> "*sqlparser.NullVal";
            case BooleanValue v -> "sqlparser.BoolVal";
            case Select s -> "*sqlparser.Subquery";
            case ParenthesedExpressionList<?> l when l.size() == 1 -> "*sqlparser.ParenExpr";
            case ExpressionList<?> l -> "sqlparser.ValTuple";
            case Function f -> "*sqlparser.FuncExpr";
            case SignedExpression s -> "*sqlparser.UnaryExpr";
            case NotExpression n when n.isExclamationMark() -> "*sqlparser.UnaryExpr";
            case NotExpression n -> "*sqlparser.NotExpr";
            case AndExpression a -> "*sqlparser.AndExpr";
            case OrExpression o -> "*sqlparser.OrExpr";
            case InExpression in -> "*sqlparser.ComparisonExpr";
            case Between b -> "*sqlparser.RangeCond";
            case IsNullExpression i -> "*sqlparser.IsExpr";
            case IsBooleanExpression i -> "*sqlparser.IsExpr";
            case ExistsExpression e -> "*sqlparser.ExistsExpr";
            case CaseExpression c -> "*sqlparser.CaseExpr";
            case CastExpression c -> "*sqlparser.ConvertExpr";
            case IntervalExpression i -> "*sqlparser.IntervalExpr";
            case CollateExpression c -> "*sqlparser.CollateExpr";
            case BinaryExpression b when Comparisons.isComparison(b) -> "*sqlparser.ComparisonExpr";
            case BinaryExpression b -> "*sqlparser.BinaryExpr";
            default -> node.getClass().getSimpleName();
        };
    }
}
