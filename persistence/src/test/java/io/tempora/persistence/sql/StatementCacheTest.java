package io.tempora.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statements are reused after close, start clean, and no more than the capacity stay compiled. */
class StatementCacheTest {
    private Connection raw;
    private Connection cached;

    @BeforeEach
    void open() throws Exception {
        raw = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
        }
        cached = StatementCache.wrap(raw, 2);
    }

    @AfterEach
    void close() throws SQLException {
        cached.close();
    }

    private static PreparedStatement inner(PreparedStatement lent) throws SQLException {
        return lent.unwrap(PreparedStatement.class);
    }

    @Test
    void aClosedStatementIsHandedOutAgainWithoutItsOldParametersOrResults() throws Exception {
        PreparedStatement first = cached.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)");
        PreparedStatement firstInner = inner(first);
        first.setInt(1, 1);
        first.setString(2, "a");
        first.executeUpdate();
        first.close();
        assertThat(first.isClosed()).isTrue();
        assertThatThrownBy(() -> first.setInt(1, 2)).isInstanceOf(SQLException.class);

        PreparedStatement again = cached.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)");
        assertThat(inner(again)).isSameAs(firstInner);
        again.setInt(1, 2);
        again.setString(2, "b");
        again.executeUpdate();
        again.close();

        PreparedStatement select = cached.prepareStatement("SELECT v FROM t ORDER BY k");
        ResultSet rs = select.executeQuery();
        assertThat(rs.next()).isTrue();
        select.close(); // with a result still open: not kept (sqlite-jdbc cannot tell it apart), a new one is compiled
        try (PreparedStatement s = cached.prepareStatement("SELECT v FROM t ORDER BY k"); ResultSet all = s.executeQuery()) {
            assertThat(all.next()).isTrue();
            assertThat(all.getString(1)).isEqualTo("a");
            assertThat(all.next()).isTrue();
            assertThat(all.getString(1)).isEqualTo("b");
        }
    }

    @Test
    void theSameSqlPreparedTwiceAtOnceGetsTwoStatements() throws Exception {
        try (PreparedStatement a = cached.prepareStatement("SELECT 1"); PreparedStatement b = cached.prepareStatement("SELECT 1")) {
            assertThat(inner(a)).isNotSameAs(inner(b));
        }
    }

    @Test
    void beyondTheCapacityTheLeastRecentlyUsedStatementsAreClosed() throws Exception {
        PreparedStatement one = prepareAndClose("SELECT 1");
        PreparedStatement two = prepareAndClose("SELECT 2");
        prepareAndClose("SELECT 1"); // used again: SELECT 2 is now the least recent
        PreparedStatement three = prepareAndClose("SELECT 3");
        assertThat(two.isClosed()).isTrue();
        assertThat(one.isClosed()).isFalse();
        assertThat(three.isClosed()).isFalse();
        cached.close();
        assertThat(one.isClosed()).isTrue();
        assertThat(raw.isClosed()).isTrue();
    }

    private PreparedStatement prepareAndClose(String sql) throws SQLException {
        PreparedStatement lent = cached.prepareStatement(sql);
        PreparedStatement statement = inner(lent);
        lent.executeQuery().close();
        lent.close();
        return statement;
    }
}
