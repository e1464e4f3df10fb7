package io.tempora.history.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Priority;
import org.junit.jupiter.api.Test;

class PrioritiesTest {
    private static final Priority WORKFLOW = Priority.newBuilder().setPriorityKey(3).setFairnessKey("tenant-a").setFairnessWeight(2).build();

    @Test
    void unsetFieldsAreInheritedFromTheWorkflow() {
        assertThat(Priorities.merge(WORKFLOW, Priority.getDefaultInstance())).isEqualTo(WORKFLOW);
        assertThat(Priorities.merge(WORKFLOW, null)).isEqualTo(WORKFLOW);
    }

    @Test
    void setFieldsOverrideOneByOne() {
        Priority merged = Priorities.merge(WORKFLOW, Priority.newBuilder().setPriorityKey(1).build());
        assertThat(merged).isEqualTo(WORKFLOW.toBuilder().setPriorityKey(1).build());
        assertThat(Priorities.merge(WORKFLOW, Priority.newBuilder().setFairnessKey("b").setFairnessWeight(5).build()))
                .isEqualTo(Priority.newBuilder().setPriorityKey(3).setFairnessKey("b").setFairnessWeight(5).build());
    }

    @Test
    void aWorkflowWithoutPriorityPassesTheOverrideThrough() {
        Priority own = Priority.newBuilder().setPriorityKey(4).build();
        assertThat(Priorities.merge(Priority.getDefaultInstance(), own)).isEqualTo(own);
        assertThat(Priorities.merge(null, null)).isEqualTo(Priority.getDefaultInstance());
    }
}
