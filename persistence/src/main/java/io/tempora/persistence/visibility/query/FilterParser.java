package io.tempora.persistence.visibility.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.statement.Statement;

/**
 * Parses a list filter with JSqlParser the way the official parses it with its sqlparser: as the tail of
 * {@code select * from table1 where ...} (no {@code where} when the filter starts with ORDER BY or GROUP BY), one
 * statement only, MySQL-style backslash escapes in strings.
 *
 * <p>JSqlParser has no STARTS_WITH, so its lexer's tokens are used to write {@code STARTS_WITH} as {@code ~*} and
 * {@code NOT STARTS_WITH} as {@code !~*} (which the official cannot parse, so a {@code ~*} of the user's own is
 * refused), padded to the same length so that positions in errors still point into the user's text. JSqlParser's
 * time grows fast with the nesting of parentheses, so that is bounded first.
 */
final class FilterParser {
    static final int MAX_NESTING = 100;
    private static final String STARTS_WITH_STAND_IN = "~*";
    private static final String NOT_STARTS_WITH_STAND_IN = "!~*";

    private FilterParser() {}

    /** {@code filter} is already trimmed and not empty. */
    static Statement parse(String filter) {
        String lower = filter.toLowerCase(Locale.ROOT);
        boolean noWhere = lower.startsWith("order by") || lower.startsWith("group by");
        String sql = "select * from table1 " + (noWhere ? "" : "where ") + filter;
        int filterStart = sql.length() - filter.length();
        List<Token> tokens = lex(sql);
        Offsets offsets = new Offsets(sql);
        checkNesting(tokens);
        for (Token t : tokens) {
            if (t.image.equals(STARTS_WITH_STAND_IN) || t.image.equals(NOT_STARTS_WITH_STAND_IN)) {
                throw syntaxError(offsets.end(t), t.image);
            }
        }
        Map<Integer, Integer> standIns = new HashMap<>();
        String rewritten = rewriteStartsWith(sql, tokens, offsets, standIns);
        return parseStatement(sql, rewritten, filterStart, standIns);
    }

    private static CCJSqlParser parser(String sql) {
        // Complex parsing is what makes nested parentheses exponential; the filter language needs none of it.
        return new CCJSqlParser(new StringProvider(sql)).withBackslashEscapeCharacter(true)
                .withAllowComplexParsing(false);
    }

    private static List<Token> lex(String sql) {
        CCJSqlParser lexer = parser(sql);
        List<Token> tokens = new ArrayList<>();
        try {
            for (Token t = lexer.getNextToken(); t.kind != CCJSqlParserConstants.EOF; t = lexer.getNextToken()) {
                tokens.add(t);
            }
        } catch (TokenMgrException e) {
            // An unterminated string or quoted name, or a character no token starts with.
            int end = tokens.isEmpty() ? 0 : new Offsets(sql).end(tokens.getLast());
            throw syntaxError(sql.length(), sql.substring(end).strip());
        }
        return tokens;
    }

    private static void checkNesting(List<Token> tokens) {
        int depth = 0;
        for (Token t : tokens) {
            if (t.image.equals("(")) {
                if (++depth > MAX_NESTING) {
                    throw QueryErrors.tooDeep(MAX_NESTING);
                }
            } else if (t.image.equals(")")) {
                depth--;
            }
        }
    }

    /** Records in {@code standIns} where each stand-in starts and where the text it replaced ends. */
    private static String rewriteStartsWith(String sql, List<Token> tokens, Offsets offsets,
            Map<Integer, Integer> standIns) {
        StringBuilder out = new StringBuilder(sql.length());
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind != CCJSqlParserConstants.S_IDENTIFIER || !t.image.equalsIgnoreCase("starts_with")) {
                continue;
            }
            boolean negated = i > 0 && tokens.get(i - 1).kind == CCJSqlParserConstants.K_NOT;
            int from = offsets.begin(negated ? tokens.get(i - 1) : t);
            int to = offsets.end(t);
            String standIn = negated ? NOT_STARTS_WITH_STAND_IN : STARTS_WITH_STAND_IN;
            out.append(sql, copied, from).append(standIn).append(" ".repeat(to - from - standIn.length()));
            standIns.put(from, to);
            copied = to;
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    /** Parses {@code sql}, the user's statement {@code original} with STARTS_WITH written as JSqlParser takes it. */
    private static Statement parseStatement(String original, String sql, int filterStart,
            Map<Integer, Integer> standIns) {
        CCJSqlParser parser = parser(sql);
        Offsets offsets = new Offsets(sql);
        try {
            Statement statement = parser.Statement();
            Token next = parser.getNextToken();
            if (next.kind != CCJSqlParserConstants.EOF) {
                throw syntaxError(original, offsets, standIns, next); // e.g. "; DROP TABLE ..."
            }
            return statement;
        } catch (ParseException e) {
            Token bad = e.currentToken == null ? null : e.currentToken.next;
            if (bad != null && bad.kind != CCJSqlParserConstants.EOF && offsets.begin(bad) < filterStart) {
                // JSqlParser backtracked into the statement around the filter; the filter's first word is at fault.
                bad = firstTokenFrom(parser(sql), offsets, filterStart);
            }
            if (bad == null || bad.kind == CCJSqlParserConstants.EOF) {
                Token last = e.currentToken;
                String near = last == null ? "" : original.substring(offsets.begin(last), offsets.end(last));
                throw syntaxError(sql.length(), near);
            }
            throw syntaxError(original, offsets, standIns, bad);
        } catch (TokenMgrException e) {
            throw QueryErrors.malformed("syntax error at position " + sql.length());
        } catch (StackOverflowError e) {
            throw QueryErrors.tooDeep(MAX_NESTING);
        }
    }

    private static Token firstTokenFrom(CCJSqlParser lexer, Offsets offsets, int start) {
        for (Token t = lexer.getNextToken(); t.kind != CCJSqlParserConstants.EOF; t = lexer.getNextToken()) {
            if (offsets.begin(t) >= start) {
                return t;
            }
        }
        return null;
    }

    /** The error at a token, named by the user's text there (not by a STARTS_WITH stand-in). */
    private static InvalidVisibilityQueryException syntaxError(String original, Offsets offsets,
            Map<Integer, Integer> standIns, Token t) {
        int begin = offsets.begin(t);
        int end = standIns.getOrDefault(begin, offsets.end(t));
        return syntaxError(end, original.substring(begin, end).strip());
    }

    /** Worded like the official parser's errors, positions counted in the synthetic statement as it counts them. */
    private static InvalidVisibilityQueryException syntaxError(int position, String near) {
        return QueryErrors.malformed("syntax error at position " + position + " near '" + near + "'");
    }

    /** Token positions (JavaCC lines and columns, a tab one column) as offsets into the statement. */
    private static final class Offsets {
        private final String sql;
        private final List<Integer> lineStarts = new ArrayList<>();

        Offsets(String sql) {
            this.sql = sql;
            lineStarts.add(0);
            for (int i = 0; i < sql.length(); i++) {
                char c = sql.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == sql.length() || sql.charAt(i + 1) != '\n'))) {
                    lineStarts.add(i + 1);
                }
            }
        }

        int begin(Token t) {
            int offset = lineStarts.get(t.beginLine - 1) + t.beginColumn - 1;
            if (!sql.startsWith(t.image, offset)) {
                throw new IllegalStateException("token " + t.image + " not at line " + t.beginLine + " column "
                        + t.beginColumn);
            }
            return offset;
        }

        int end(Token t) {
            return begin(t) + t.image.length();
        }
    }
}
