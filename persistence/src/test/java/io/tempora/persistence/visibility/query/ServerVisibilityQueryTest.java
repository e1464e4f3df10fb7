package io.tempora.persistence.visibility.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.persistence.Database;
import io.tempora.persistence.sql.RemoteDatabase;
import io.tempora.persistence.sql.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translator's table of accepted queries, run on a database server (its V4 migration, the same ten runs): each
 * query must match exactly the runs it matches on SQLite, but for the differences a subclass names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerVisibilityQueryTest {
    private final VisibilityQueryTranslator translator = new VisibilityQueryTranslator(
            name -> Optional.ofNullable(VisibilityQueryTranslatorTest.FIELDS.get(name)), sql());
    private TestDatabases.Created created;
    private Connection db;

    abstract TestDatabases.Server server();

    abstract VisibilitySql sql();

    /** Why this database answers {@code query} differently from SQLite, or null. */
    abstract String knownDifference(String query);

    @BeforeAll
    void createDatabase() throws SQLException {
        created = TestDatabases.create(server());
        Database migrated = RemoteDatabase.open(created.url(), null, null); // applies the migrations
        migrated.close();
        Properties props = new Properties();
        props.setProperty("stringtype", "unspecified"); // PostgreSQL: strings into JSONB; other drivers ignore it
        db = DriverManager.getConnection(created.url(), props);
        VisibilityQueryTranslatorTest.insertRuns(db);
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (created != null) {
            created.drop();
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> accepted() {
        return VisibilityQueryTranslatorTest.accepted();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("accepted")
    void matchesExactlyTheseRuns(String query, Set<String> expected) throws SQLException {
        String difference = knownDifference(query);
        org.junit.jupiter.api.Assumptions.assumeTrue(difference == null, difference);
        Translation translation = translator.translate(query);
        assertThat(VisibilityQueryTranslatorTest.select(db, translation)).isEqualTo(new TreeSet<>(expected));
        // Every value bound: one placeholder per parameter (the SQL holds the database's own fixed words only).
        assertThat(translation.where().chars().filter(c -> c == '?').count()).isEqualTo(translation.params().size());
    }
}
