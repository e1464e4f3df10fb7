package io.tempora.server;

import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.sql.Schema;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tempora db setup|migrate|version}: the schema tool (as temporal-sql-tool), on the database a config file
 * names or on a SQLite file.
 */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Create, migrate or inspect the schema of Tempora's database.",
        subcommands = {DbCommand.Setup.class, DbCommand.Migrate.class, DbCommand.Version.class})
final class DbCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    abstract static class Target implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, description = "The server's config file: its default datastore.")
        Path configFile;

        @Option(names = {"-f", "--db-filename"}, description = "A SQLite database file instead of a config.")
        Path dbFile;

        /** The store's settings: null for SQLite (then {@link #sqliteFile} says which). */
        ServerConfig.SqlStore store;
        Path sqliteFile;

        Schema schema() {
            if ((configFile == null) == (dbFile == null)) {
                throw new IllegalArgumentException("give one of --config FILE or --db-filename FILE");
            }
            if (dbFile != null) {
                sqliteFile = dbFile;
                return Schema.sqlite(dbFile);
            }
            ServerConfig config = ConfigFile.load(configFile).server();
            store = config.sqlStore();
            if (store == null) {
                sqliteFile = config.dbFile();
                return Schema.sqlite(sqliteFile);
            }
            return Schema.remote(store.jdbcUrl(), store.user(), store.password());
        }

        String where() {
            return store == null ? "database file " + sqliteFile.toAbsolutePath() : "database " + store.jdbcUrl().replaceAll("\\?.*", "");
        }

        @Override
        public Integer call() {
            try {
                return run();
            } catch (ConfigFile.Invalid | IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            } catch (PersistenceException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            } catch (RuntimeException e) {
                System.err.println("error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
                return 1;
            }
        }

        abstract int run();

        int migrate() {
            int applied = schema().migrate();
            Schema.Version v = schema().version();
            System.out.println(where() + ": schema at version " + v.current() + " (" + applied + " migration" + (applied == 1 ? "" : "s") + " applied)");
            return 0;
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true, description = "Create the schema (and with --create-database the PostgreSQL or MySQL database).")
    static final class Setup extends Target {
        @Option(names = "--create-database", description = "PostgreSQL, MySQL: create the database first if it does not exist.")
        boolean createDatabase;

        @Override
        int run() {
            schema(); // resolves the target
            if (createDatabase && store != null) {
                if (io.tempora.persistence.sql.RemoteDatabase.createIfMissing(store.jdbcUrl(), store.user(), store.password())) {
                    System.out.println("database " + io.tempora.persistence.sql.RemoteDatabase.withoutSecrets(store.jdbcUrl())
                            .replaceAll(".*/", "") + " created");
                }
            }
            return migrate();
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply the migrations the schema lacks.")
    static final class Migrate extends Target {
        @Override
        int run() {
            return migrate();
        }
    }

    @Command(name = "version", mixinStandardHelpOptions = true, description = "Print the schema version and this build's.")
    static final class Version extends Target {
        @Override
        int run() {
            Schema.Version v = schema().version();
            System.out.println(where() + ": schema version " + (v.current() == null ? "none" : v.current()) + " (this Tempora: " + v.latest() + ")");
            return 0;
        }
    }
}
