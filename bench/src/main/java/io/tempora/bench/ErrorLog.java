package io.tempora.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints the first few workflow failures to stderr and only counts the rest: when a server is broken every
 * workflow fails the same way, and thousands of identical stack traces would bury the summary.
 */
final class ErrorLog {

  private static final int MAX_PRINTED = 10;

  private final AtomicInteger seen = new AtomicInteger();

  void report(String workflowId, Throwable error) {
    int n = seen.incrementAndGet();
    if (n <= MAX_PRINTED) {
      System.err.println("error: workflow " + workflowId + ": " + describe(error));
      if (n == MAX_PRINTED) {
        System.err.println("error: further errors are counted but not printed");
      }
    }
  }

  /** Outer exception plus root cause: SDK exceptions wrap the server's actual complaint several levels deep. */
  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = error.getClass().getSimpleName() + ": " + error.getMessage();
    return root == error ? outer : outer + " (root cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
