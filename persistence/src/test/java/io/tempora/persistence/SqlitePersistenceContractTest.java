package io.tempora.persistence;

import io.tempora.persistence.sql.SqliteDatabase;
import java.nio.file.Files;

class SqlitePersistenceContractTest extends PersistenceContractTest {
    @Override
    Database openDatabase() throws Exception {
        return SqliteDatabase.open(Files.createTempDirectory("tempora-contract").resolve("contract.db"));
    }
}
