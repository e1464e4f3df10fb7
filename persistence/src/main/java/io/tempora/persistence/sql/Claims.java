package io.tempora.persistence.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How long a reconnecting writer waits for the database to end its own lost session (and release its claim). */
final class Claims {
    static final Logger log = LoggerFactory.getLogger(Claims.class);
    /** Checks, 100 ms apart. */
    static final int ATTEMPTS = 30;

    private Claims() {}

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.tempora.persistence.PersistenceException("interrupted while claiming the database");
        }
    }
}
