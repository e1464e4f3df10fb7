package io.tempora.persistence.visibility.query;

import java.util.List;

/**
 * The parts of a visibility filter that each database writes its own way: prefix matches, KeywordList membership,
 * Text word matches and how a Bool is bound. Everything else the translator writes is standard SQL.
 */
public interface VisibilitySql {
    SqlFragment startsWith(String column, boolean negated, String prefix);

    /** A row whose list holds any of {@code values}; negated: none of them (an unset list included). */
    SqlFragment keywordList(String column, boolean negated, List<Object> values);

    /** A row whose text has any of {@code tokens} (words); negated: none of them (an unset text included). */
    SqlFragment text(String column, boolean negated, List<String> tokens);

    /** A Bool value as its column compares. */
    Object bool(boolean value);
}
