package io.tempora.persistence.visibility.query;

import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * The clauses a filter may have, taken from the parsed {@code select * from table1 ...}: WHERE, GROUP BY and ORDER
 * BY. LIMIT is refused as the official refuses it; anything else JSqlParser knows but the official's parser does not
 * (HAVING, UNION, FOR UPDATE, WINDOW ...) is refused too, rather than silently dropped.
 */
record SelectClauses(Expression where, GroupByElement groupBy, List<OrderByElement> orderBy) {
    private static final String BARE_SELECT = "SELECT * FROM table1";

    static SelectClauses of(Statement statement) {
        if (statement instanceof SetOperationList union) {
            String operation = union.getOperations().getFirst().toString().toUpperCase(Locale.ROOT);
            throw QueryErrors.notSupported("'" + operation + "' clause");
        }
        if (!(statement instanceof PlainSelect select)) {
            throw QueryErrors.notSupported("statement " + statement.getClass().getSimpleName());
        }
        if (select.getLimit() != null || select.getOffset() != null || select.getFetch() != null) {
            throw QueryErrors.notSupported("'LIMIT' clause");
        }
        if (select.getHaving() != null) {
            throw QueryErrors.notSupported("'HAVING' clause");
        }
        SelectClauses clauses =
                new SelectClauses(select.getWhere(), select.getGroupBy(), select.getOrderByElements());
        // What is left once the known clauses are taken out must be the bare select the filter was appended to.
        select.setWhere(null);
        select.setGroupByElement(null);
        select.setOrderByElements(null);
        String rest = select.toString();
        if (!rest.equals(BARE_SELECT)) {
            String extra = rest.startsWith(BARE_SELECT) ? rest.substring(BARE_SELECT.length()).strip() : rest;
            throw QueryErrors.notSupported("'" + extra + "' clause");
        }
        return clauses;
    }
}
