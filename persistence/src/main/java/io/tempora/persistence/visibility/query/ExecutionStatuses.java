package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ExecutionStatus values as the official takes them: the PascalCase shorthand ({@code Running}, {@code TimedOut},
 * {@code ContinuedAsNew} ...) or the enum name ({@code WORKFLOW_EXECUTION_STATUS_RUNNING}), case-sensitive, as
 * WorkflowExecutionStatusFromString does, or the enum number.
 */
final class ExecutionStatuses {
    /** A status as the column holds it (its number) and as the messages print it (its shorthand). */
    record Status(int number, String name) {}

    private static final String PREFIX = "WORKFLOW_EXECUTION_STATUS_";
    private static final Map<String, Status> BY_NAME = new HashMap<>();
    private static final Map<Integer, Status> BY_NUMBER = new HashMap<>();

    static {
        for (WorkflowExecutionStatus s : WorkflowExecutionStatus.values()) {
            if (s == WorkflowExecutionStatus.UNRECOGNIZED) {
                continue;
            }
            Status status = new Status(s.getNumber(), shorthand(s.name()));
            BY_NAME.put(s.name(), status);
            BY_NAME.put(status.name(), status);
            BY_NUMBER.put(s.getNumber(), status);
        }
    }

    private ExecutionStatuses() {}

    static Status of(Object literal) {
        return switch (literal) {
            case Long number -> {
                Status status = number == number.intValue() ? BY_NUMBER.get(number.intValue()) : null;
                if (status == null) {
                    throw QueryErrors.invalidExpression("invalid ExecutionStatus value " + number);
                }
                yield status;
            }
            case String name -> {
                Status status = BY_NAME.get(name);
                if (status == null) {
                    throw QueryErrors.invalidExpression("invalid ExecutionStatus value '" + name + "'");
                }
                yield status;
            }
            default -> throw QueryErrors.unexpectedValueType(literal, "ExecutionStatus");
        };
    }

    // WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> ContinuedAsNew, as the Go API's shorthand maps spell it.
    private static String shorthand(String enumName) {
        StringBuilder out = new StringBuilder();
        for (String word : enumName.substring(PREFIX.length()).split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
