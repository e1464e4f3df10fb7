package io.tempora.persistence.sql;

import io.tempora.persistence.PersistenceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code <database>.lock}: one server per SQLite file. The operating system drops it when the
 * process ends, also on SIGKILL, so a crashed server never blocks its restart.
 */
final class FileOwnership implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FileOwnership(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static FileOwnership acquire(Path database) {
        Path lockFile = Path.of(database + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new PersistenceException("cannot create lock file " + lockFile + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException e) {
            closeQuietly(channel);
            throw new PersistenceException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new PersistenceException("database file " + database + " is in use by another Tempora server (it holds " + lockFile + ")");
        }
        return new FileOwnership(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel is closed next, which releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
