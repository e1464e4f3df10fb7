package io.tempora.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only a primary key or unique violation is a create-if-absent conflict; other constraint failures are errors. */
class SqliteDialectTest {
    private final SqliteDialect dialect = new SqliteDialect();
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER CHECK (n > 0))");
            s.execute("INSERT INTO t (id, name, n) VALUES (1, 'a', 1)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private SQLException failure(String sql) {
        return catchThrowableOfType(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        });
    }

    @Test
    void primaryKeyAndUniqueViolationsAreConflicts() {
        assertThat(dialect.isUniqueViolation(failure("INSERT INTO t (id, name, n) VALUES (1, 'b', 1)"))).isTrue();
        assertThat(dialect.isUniqueViolation(failure("INSERT INTO t (id, name, n) VALUES (2, 'a', 1)"))).isTrue();
    }

    @Test
    void otherConstraintFailuresAreNot() {
        assertThat(dialect.isUniqueViolation(failure("INSERT INTO t (id, name, n) VALUES (3, NULL, 1)"))).isFalse();
        assertThat(dialect.isUniqueViolation(failure("INSERT INTO t (id, name, n) VALUES (4, 'd', 0)"))).isFalse();
        assertThat(dialect.isUniqueViolation(failure("INSERT INTO missing VALUES (1)"))).isFalse();
    }
}
