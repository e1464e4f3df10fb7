package io.tempora.persistence.visibility;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.persistence.Database;
import io.tempora.persistence.sql.SqliteDatabase;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A record never goes backwards, pages follow the default order, a deleted record is gone. */
class VisibilityStoreTest {
    private Database db;
    private VisibilityStore store;

    @BeforeEach
    void open() throws Exception {
        db = SqliteDatabase.open(Files.createTempDirectory("tempora-visibility").resolve("v.db"));
        store = new VisibilityStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static VisibilityRecord run(String runId, int status, long start, Long close, long version) {
        return new VisibilityRecord("ns", runId, "wf-" + runId, "Type", status, start, start, close, close == null ? null : close - start,
                3, 100, 2, "queue", null, null, "wf-" + runId, runId, null, null, null, version);
    }

    @Test
    void anOlderVersionNeverOverwritesANewerRecord() {
        store.upsert(run("r1", 2, 10, 20L, 5)); // closed at version 5
        store.upsert(run("r1", 1, 10, null, 3)); // a late task of the open state
        assertThat(store.list("ns", "", List.of(), null, 10)).singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(2);
                    assertThat(r.version()).isEqualTo(5);
                });
        store.upsert(run("r1", 2, 10, 20L, 5)); // the same version again changes nothing either
        assertThat(store.count("ns", "", List.of())).isEqualTo(1);
    }

    @Test
    void pagesFollowTheDefaultOrderAndADeletedRecordIsGone() {
        store.upsert(run("open", 1, 50, null, 1));
        store.upsert(run("late", 2, 10, 40L, 2));
        store.upsert(run("early", 2, 30, 35L, 2));
        List<VisibilityRecord> first = store.list("ns", "", List.of(), null, 2);
        assertThat(first).extracting(VisibilityRecord::runId).containsExactly("open", "late");
        assertThat(store.list("ns", "", List.of(), first.get(1).pageKey(), 2)).extracting(VisibilityRecord::runId).containsExactly("early");
        assertThat(store.countByStatus("ns", "", List.of())).containsEntry(1, 1L).containsEntry(2, 2L);
        store.delete("ns", "late");
        assertThat(store.list("ns", "", List.of(), null, 10)).extracting(VisibilityRecord::runId).containsExactly("open", "early");
        assertThat(store.list("other", "", List.of(), null, 10)).isEmpty();
    }
}
