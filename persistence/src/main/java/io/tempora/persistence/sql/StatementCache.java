package io.tempora.persistence.sql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection that keeps its prepared statements for reuse. SQLite compiles a statement on every prepare, and the
 * writes of a transition (into tables with many indexes and triggers, such as the visibility records) cost more to
 * compile than to run. For a connection used by one thread at a time (the commit writer's); at most {@code capacity}
 * idle statements are kept, the least recently used SQL's closed first. Its bookkeeping is synchronized, since the
 * connection may be closed from another thread while the last statements come back.
 */
final class StatementCache implements InvocationHandler {
    private final Connection target;
    private final int capacity;
    /** Idle statements by SQL, least recently used first. */
    private final LinkedHashMap<String, ArrayDeque<PreparedStatement>> idle = new LinkedHashMap<>(16, 0.75f, true);
    private int idleCount;

    private StatementCache(Connection target, int capacity) {
        this.target = target;
        this.capacity = capacity;
    }

    static Connection wrap(Connection target, int capacity) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class},
                new StatementCache(target, capacity));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
            return prepare((String) args[0]);
        }
        if (method.getName().equals("close") && (args == null || args.length == 0)) {
            closeIdle();
        }
        return call(target, method, args);
    }

    private synchronized PreparedStatement prepare(String sql) throws SQLException {
        ArrayDeque<PreparedStatement> free = idle.get(sql);
        PreparedStatement statement = free == null ? null : free.pollFirst();
        if (statement != null) {
            idleCount--;
        } else {
            statement = target.prepareStatement(sql);
        }
        return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                new Lent(sql, statement));
    }

    /** A statement handed back: reset and kept, unless the cache is full of others. */
    private synchronized void giveBack(String sql, PreparedStatement statement) {
        try {
            statement.clearParameters();
            statement.clearBatch();
            ResultSet open = statement.getResultSet(); // sqlite-jdbc throws if a result is still open: not reused then
            if (open != null) {
                open.close();
            }
        } catch (SQLException e) {
            closeQuietly(statement);
            return;
        }
        idle.computeIfAbsent(sql, k -> new ArrayDeque<>()).addFirst(statement);
        idleCount++;
        Iterator<Map.Entry<String, ArrayDeque<PreparedStatement>>> eldest = idle.entrySet().iterator();
        while (idleCount > capacity && eldest.hasNext()) {
            ArrayDeque<PreparedStatement> statements = eldest.next().getValue();
            while (idleCount > capacity && !statements.isEmpty()) {
                closeQuietly(statements.pollLast());
                idleCount--;
            }
            if (statements.isEmpty()) {
                eldest.remove();
            }
        }
    }

    private synchronized void closeIdle() {
        for (ArrayDeque<PreparedStatement> statements : idle.values()) {
            statements.forEach(StatementCache::closeQuietly);
        }
        idle.clear();
        idleCount = 0;
    }

    private static void closeQuietly(PreparedStatement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // dropped either way
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The statement as its user holds it: closing it returns it to the cache. */
    private final class Lent implements InvocationHandler {
        private final String sql;
        private final PreparedStatement statement;
        private boolean closed;

        Lent(String sql, PreparedStatement statement) {
            this.sql = sql;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            boolean noArgs = args == null || args.length == 0;
            if (method.getName().equals("close") && noArgs) {
                if (!closed) {
                    closed = true;
                    giveBack(sql, statement);
                }
                return null;
            }
            if (method.getName().equals("isClosed") && noArgs) {
                return closed || statement.isClosed();
            }
            if (closed) {
                throw new SQLException("statement is closed");
            }
            return call(statement, method, args);
        }
    }
}
