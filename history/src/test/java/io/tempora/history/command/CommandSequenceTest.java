package io.tempora.history.command;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.command.v1.Command;
import io.temporal.api.enums.v1.CommandType;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandSequenceTest {
    private static Command command(CommandType type) {
        return Command.newBuilder().setCommandType(type).build();
    }

    @Test
    void aCloseCommandMayOnlyComeLast() {
        assertThatCode(() -> CommandHandlers.validateSequence(List.of(
                command(CommandType.COMMAND_TYPE_START_TIMER), command(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CommandHandlers.validateSequence(List.of(
                command(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION), command(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("invalid command sequence: [CompleteWorkflowExecution, CompleteWorkflowExecution], "
                        + "command CompleteWorkflowExecution must be the last command.");
    }
}
