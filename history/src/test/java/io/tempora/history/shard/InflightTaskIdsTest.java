package io.tempora.history.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InflightTaskIdsTest {

    @Test
    void minimumIsTheLowestBlockStillInFlight() {
        InflightTaskIds ids = new InflightTaskIds(100);
        long a = ids.allocate(3);
        long b = ids.allocate(2);
        assertThat(ids.allocate(0)).isZero();
        assertThat(ids.minimum()).isEqualTo(a);
        ids.release(a);
        assertThat(ids.minimum()).isEqualTo(b);
        ids.release(b);
        assertThat(ids.minimum()).isZero();
        assertThat(ids.nextId()).isEqualTo(105);
    }

    /** The ack-level writer reads the minimum while commits finish on other threads (it threw NoSuchElementException). */
    @Test
    void minimumCanBeReadWhileBlocksAreReleasedConcurrently() throws Exception {
        InflightTaskIds ids = new InflightTaskIds(1);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    ids.release(ids.allocate(1));
                }
            }));
        }
        Future<?> reader = pool.submit(() -> {
            for (int i = 0; i < 2_000_000 && !stop.get(); i++) {
                ids.minimum();
            }
        });
        try {
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
    }
}
