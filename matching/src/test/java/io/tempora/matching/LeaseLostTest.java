package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.common.rpc.AddTaskRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A partition whose lease another owner took is dropped and loaded anew; no task is lost on the way. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaseLostTest {
    @TempDir
    Path dir;
    MatchingHarness m;

    @BeforeEach
    void open() {
        m = new MatchingHarness(dir, MatchingConfig.defaults());
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void addAfterAnotherOwnerTookTheLeaseLoadsTheQueueAnew() throws Exception {
        m.add("q", "wf-1");
        m.otherEngine().addTask(new AddTaskRequest(MatchingHarness.NS, "q", false, false, MatchingHarness.task("wf-other")));

        m.add("q", "wf-2"); // its write is fenced off: the engine reloads the queue (taking the lease back) and adds again

        List<String> got = new ArrayList<>();
        for (String id = m.poll("q", 300); id != null; id = m.poll("q", 300)) {
            got.add(id);
        }
        assertThat(got).containsExactly("wf-1", "wf-other", "wf-2");
    }
}
