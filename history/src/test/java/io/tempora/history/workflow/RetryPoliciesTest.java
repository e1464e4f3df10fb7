package io.tempora.history.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.common.Times;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import org.junit.jupiter.api.Test;

class RetryPoliciesTest {
    private static final RetryPolicy DEFAULTS = RetryPolicies.withDefaults(RetryPolicy.getDefaultInstance());

    private static Failure appFailure(String type, boolean nonRetryable) {
        return Failure.newBuilder().setMessage("x")
                .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType(type).setNonRetryable(nonRetryable)).build();
    }

    private static Failure timeout(TimeoutType type) {
        return Failure.newBuilder().setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(type)).build();
    }

    @Test
    void defaultsAreTheOfficialOnes() {
        assertThat(Times.toMillis(DEFAULTS.getInitialInterval())).isEqualTo(1000);
        assertThat(DEFAULTS.getBackoffCoefficient()).isEqualTo(2.0);
        assertThat(Times.toMillis(DEFAULTS.getMaximumInterval())).isEqualTo(100_000);
        assertThat(DEFAULTS.getMaximumAttempts()).isZero();
    }

    @Test
    void backoffGrowsExponentiallyUpToTheMaximumInterval() {
        assertThat(RetryPolicies.backoff(DEFAULTS, 1)).isEqualTo(1000);
        assertThat(RetryPolicies.backoff(DEFAULTS, 2)).isEqualTo(2000);
        assertThat(RetryPolicies.backoff(DEFAULTS, 4)).isEqualTo(8000);
        assertThat(RetryPolicies.backoff(DEFAULTS, 30)).isEqualTo(100_000);
    }

    @Test
    void stopsAtMaximumAttempts() {
        RetryPolicy p = DEFAULTS.toBuilder().setMaximumAttempts(3).build();
        assertThat(RetryPolicies.decide(p, 2, appFailure("E", false), 0, 0).retry()).isTrue();
        assertThat(RetryPolicies.decide(p, 3, appFailure("E", false), 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    }

    @Test
    void nonRetryableFailuresAreNotRetried() {
        RetryPolicy p = DEFAULTS.toBuilder().addNonRetryableErrorTypes("Fatal").build();
        assertThat(RetryPolicies.decide(p, 1, appFailure("Fatal", false), 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
        assertThat(RetryPolicies.decide(p, 1, appFailure("Other", true), 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
        assertThat(RetryPolicies.decide(p, 1, appFailure("Other", false), 0, 0).retry()).isTrue();
    }

    @Test
    void onlyStartToCloseAndHeartbeatTimeoutsAreRetried() {
        assertThat(RetryPolicies.decide(DEFAULTS, 1, timeout(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE), 0, 0).retry()).isTrue();
        assertThat(RetryPolicies.decide(DEFAULTS, 1, timeout(TimeoutType.TIMEOUT_TYPE_HEARTBEAT), 0, 0).retry()).isTrue();
        assertThat(RetryPolicies.decide(DEFAULTS, 1, timeout(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START), 0, 0).retry()).isFalse();
    }

    @Test
    void aRetryPastTheDeadlineIsATimeout() {
        assertThat(RetryPolicies.decide(DEFAULTS, 1, appFailure("E", false), 10_000, 10_500).state()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
    }

    @Test
    void noPolicyMeansNoRetry() {
        assertThat(RetryPolicies.decide(null, 1, appFailure("E", false), 0, 0).state()).isEqualTo(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET);
    }
}
