package io.tempora.persistence.visibility.query;

import java.util.Locale;
import java.util.Optional;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.CosineSimilarity;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;

/**
 * Reads a comparison node as the official parser's ComparisonExpr: left, right and the operator as it spells it
 * ("=", "!=" also for {@code <>}, "in", "not like", "starts_with" ...), which the operator checks and messages use.
 */
final class Comparisons {
    /** A comparison as the official parser sees it. */
    record Comparison(String operator, Expression left, Expression right) {}

    private Comparisons() {}

    /** Whether a binary node compares (rather than computes, like {@code +}). */
    static boolean isComparison(BinaryExpression node) {
        return node.getClass().getPackageName().endsWith(".operators.relational");
    }

    static Optional<Comparison> of(Expression node) {
        if (node instanceof InExpression in) {
            String operator = in.isNot() ? "not in" : "in";
            return Optional.of(new Comparison(operator, in.getLeftExpression(), in.getRightExpression()));
        }
        if (node instanceof BinaryExpression binary && isComparison(binary)) {
            return Optional.of(new Comparison(operator(binary), binary.getLeftExpression(),
                    binary.getRightExpression()));
        }
        return Optional.empty();
    }

    private static String operator(BinaryExpression node) {
        return switch (node) {
            case EqualsTo e -> "=";
            case NotEqualsTo e -> "!=";
            case GreaterThan e -> ">";
            case GreaterThanEquals e -> ">=";
            case MinorThan e -> "<";
            case MinorThanEquals e -> "<=";
            case CosineSimilarity e -> "<=>";
            case LikeExpression like -> (like.isNot() ? "not " : "")
                    + like.getLikeKeyWord().name().replace('_', ' ').toLowerCase(Locale.ROOT);
            case RegExpMatchOperator regexp -> switch (regexp.getOperatorType()) {
                // FilterParser writes STARTS_WITH as ~* (NOT STARTS_WITH as !~*) and refuses those from the user.
                case MATCH_CASEINSENSITIVE -> Operators.STARTS_WITH;
                case NOT_MATCH_CASEINSENSITIVE -> Operators.NOT_STARTS_WITH;
                case MATCH_CASESENSITIVE -> "~";
                case NOT_MATCH_CASESENSITIVE -> "!~";
            };
            default -> node.getStringExpression().strip().toLowerCase(Locale.ROOT);
        };
    }
}
