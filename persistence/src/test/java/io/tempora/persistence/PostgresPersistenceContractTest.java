package io.tempora.persistence;

import io.tempora.persistence.sql.PostgresDatabase;
import io.tempora.persistence.sql.PostgresTestDatabases;
import org.junit.jupiter.api.AfterEach;

/** The contract on PostgreSQL, each case on a database of its own. */
class PostgresPersistenceContractTest extends PersistenceContractTest {
    private PostgresTestDatabases.Created created;

    @Override
    Database openDatabase() {
        created = PostgresTestDatabases.create();
        return PostgresDatabase.open(created.url(), null, null);
    }

    @AfterEach
    void dropDatabase() {
        if (created != null) {
            created.drop();
        }
    }
}
