package io.tempora.persistence;

import io.tempora.persistence.sql.RemoteDatabase;
import io.tempora.persistence.sql.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/** The contract on PostgreSQL, each case on a database of its own. */
class PostgresPersistenceContractTest extends PersistenceContractTest {
    private TestDatabases.Created created;

    @Override
    Database openDatabase() {
        created = TestDatabases.postgres();
        return RemoteDatabase.open(created.url(), null, null);
    }

    @AfterEach
    void dropDatabase() {
        if (created != null) {
            created.drop();
        }
    }
}
