package io.tempora.persistence.visibility.query;

import io.tempora.persistence.sql.TestDatabases;

/** The accepted queries on PostgreSQL. */
class PostgresVisibilityQueryTest extends ServerVisibilityQueryTest {
    @Override
    TestDatabases.Server server() {
        return TestDatabases.Server.POSTGRESQL;
    }

    @Override
    VisibilitySql sql() {
        return new PostgresVisibilitySql();
    }

    @Override
    String knownDifference(String query) {
        return query.equals("CustomText = 'cafe'") ? "PostgreSQL's 'simple' text search keeps diacritics (SQLite's FTS5 folds them)" : null;
    }
}
