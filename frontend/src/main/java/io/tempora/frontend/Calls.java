package io.tempora.frontend;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.tempora.common.ServiceErrors;
import io.tempora.persistence.PersistenceException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a unary call and maps failures to gRPC statuses: our own statuses pass through, storage trouble is UNAVAILABLE. */
public final class Calls {
    private static final Logger log = LoggerFactory.getLogger(Calls.class);

    private Calls() {}

    public static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (PersistenceException e) {
            log.warn("storage failure", e);
            observer.onError(ServiceErrors.unavailable(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            log.error("internal error", e);
            observer.onError(ServiceErrors.internal(e.toString()));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** When a long poll must return: before the client's deadline (with a margin) and at most {@code maxMs} from now. */
    static long pollDeadline(long maxMs) {
        long now = System.currentTimeMillis();
        long until = now + maxMs;
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            long remaining = deadline.timeRemaining(TimeUnit.MILLISECONDS);
            until = Math.min(until, now + Math.max(0, remaining - 1000));
        }
        return until;
    }
}
