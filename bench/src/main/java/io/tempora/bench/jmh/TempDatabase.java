package io.tempora.bench.jmh;

import io.tempora.persistence.Database;
import io.tempora.persistence.sql.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Tempora SQLite database in a fresh directory under the working directory (the disk start-dev uses), removed on close. */
final class TempDatabase implements AutoCloseable {
  private final Path dir;
  final Database db;

  TempDatabase(String prefix) throws IOException {
    dir = Files.createTempDirectory(Path.of("."), prefix);
    db = SqliteDatabase.open(dir.resolve("bench.db"));
  }

  @Override
  public void close() throws IOException {
    db.close();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}
