package io.tempora.persistence;

import io.tempora.persistence.sql.RemoteDatabase;
import io.tempora.persistence.sql.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/** The contract on MySQL / MariaDB, each case on a database of its own. */
class MysqlPersistenceContractTest extends PersistenceContractTest {
    private TestDatabases.Created created;

    @Override
    Database openDatabase() {
        created = TestDatabases.mysql();
        return RemoteDatabase.open(created.url(), null, null);
    }

    @AfterEach
    void dropDatabase() {
        if (created != null) {
            created.drop();
        }
    }
}
