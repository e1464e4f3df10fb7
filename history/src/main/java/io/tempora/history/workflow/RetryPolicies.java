package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;

/** Retry decisions for activities (and later workflows), following the official server's rules. */
public final class RetryPolicies {
    private RetryPolicies() {}

    /** Fills the server defaults: 1 s initial interval, coefficient 2, maximum interval 100x initial, unlimited attempts. */
    public static RetryPolicy withDefaults(RetryPolicy p) {
        RetryPolicy.Builder b = p.toBuilder();
        if (Times.toMillis(b.getInitialInterval()) <= 0) {
            b.setInitialInterval(Times.duration(1000));
        }
        if (b.getBackoffCoefficient() == 0) {
            b.setBackoffCoefficient(2.0);
        }
        if (Times.toMillis(b.getMaximumInterval()) <= 0) {
            b.setMaximumInterval(Times.duration(100 * Times.toMillis(b.getInitialInterval())));
        }
        return b.build();
    }

    /** Returns null if valid, else the official validation message. */
    public static String validate(RetryPolicy p) {
        if (Times.isNegative(p.getInitialInterval())) {
            return "InitialInterval cannot be negative on retry policy.";
        }
        if (p.getBackoffCoefficient() != 0 && p.getBackoffCoefficient() < 1) {
            return "BackoffCoefficient cannot be less than 1 on retry policy.";
        }
        if (Times.isNegative(p.getMaximumInterval())) {
            return "MaximumInterval cannot be negative on retry policy.";
        }
        long max = Times.toMillis(p.getMaximumInterval());
        if (max > 0 && max < Times.toMillis(p.getInitialInterval())) {
            return "MaximumInterval cannot be less than InitialInterval on retry policy.";
        }
        if (p.getMaximumAttempts() < 0) {
            return "MaximumAttempts cannot be negative on retry policy.";
        }
        return null;
    }

    public record Decision(RetryState state, long backoffMs) {
        public boolean retry() {
            return state == RetryState.RETRY_STATE_IN_PROGRESS;
        }
    }

    /**
     * Whether attempt {@code attempt} that failed with {@code failure} is retried.
     *
     * @param expirationMs absolute deadline (schedule-to-close), 0 for none
     */
    public static Decision decide(RetryPolicy policy, int attempt, Failure failure, long now, long expirationMs) {
        if (policy == null) {
            return new Decision(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET, 0);
        }
        if (!isRetryable(failure, policy)) {
            return new Decision(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, 0);
        }
        if (policy.getMaximumAttempts() > 0 && attempt >= policy.getMaximumAttempts()) {
            return new Decision(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED, 0);
        }
        long interval = backoff(policy, attempt);
        if (failure != null && failure.hasApplicationFailureInfo() && failure.getApplicationFailureInfo().hasNextRetryDelay()) {
            interval = Times.toMillis(failure.getApplicationFailureInfo().getNextRetryDelay());
        }
        if (expirationMs > 0 && now + interval > expirationMs) {
            return new Decision(RetryState.RETRY_STATE_TIMEOUT, 0);
        }
        return new Decision(RetryState.RETRY_STATE_IN_PROGRESS, interval);
    }

    static long backoff(RetryPolicy policy, int attempt) {
        long initial = Times.toMillis(policy.getInitialInterval());
        double interval = initial * Math.pow(policy.getBackoffCoefficient(), Math.max(0, attempt - 1));
        long max = Times.toMillis(policy.getMaximumInterval());
        if (max > 0) {
            interval = Math.min(interval, max);
        }
        return (long) interval;
    }

    static boolean isRetryable(Failure failure, RetryPolicy policy) {
        if (failure == null) {
            return true;
        }
        if (failure.hasTerminatedFailureInfo() || failure.hasCanceledFailureInfo()) {
            return false;
        }
        if (failure.hasTimeoutFailureInfo()) {
            TimeoutType t = failure.getTimeoutFailureInfo().getTimeoutType();
            if (t != TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE && t != TimeoutType.TIMEOUT_TYPE_HEARTBEAT) {
                return false;
            }
            String name = t == TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE ? "TemporalTimeout:StartToClose" : "TemporalTimeout:Heartbeat";
            return !policy.getNonRetryableErrorTypesList().contains(name);
        }
        if (failure.hasServerFailureInfo()) {
            return !failure.getServerFailureInfo().getNonRetryable();
        }
        if (failure.hasApplicationFailureInfo()) {
            var info = failure.getApplicationFailureInfo();
            return !info.getNonRetryable() && !policy.getNonRetryableErrorTypesList().contains(info.getType());
        }
        return true;
    }
}
