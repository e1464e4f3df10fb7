package io.tempora.persistence.visibility.query;

import io.tempora.persistence.sql.TestDatabases;

/** The accepted queries on MySQL / MariaDB. */
class MysqlVisibilityQueryTest extends ServerVisibilityQueryTest {
    @Override
    TestDatabases.Server server() {
        return TestDatabases.Server.MYSQL;
    }

    @Override
    VisibilitySql sql() {
        return new MysqlVisibilitySql();
    }

    @Override
    String knownDifference(String query) {
        return query.equals("CustomText = 'it''s'")
                ? "InnoDB's full-text index leaves out words shorter than innodb_ft_min_token_size (3): 'it', 's'" : null;
    }
}
