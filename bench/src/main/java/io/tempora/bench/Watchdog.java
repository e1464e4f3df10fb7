package io.tempora.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Last-resort guarantee that a bench run ends. The driver already honours --timeout-seconds, but connection
 * setup or SDK shutdown could still block on a misbehaving server; this halts the JVM if that happens.
 */
final class Watchdog {

  // Halting skips shutdown hooks, so anything that must not outlive the bench (a server it started) registers here.
  private static final List<Runnable> BEFORE_HALT = new CopyOnWriteArrayList<>();

  private Watchdog() {}

  static void beforeHalt(Runnable action) {
    BEFORE_HALT.add(action);
  }

  static void arm(long seconds) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(seconds * 1000L);
              } catch (InterruptedException e) {
                return;
              }
              System.err.println("watchdog: run still alive " + seconds + " s after start; halting");
              for (Runnable action : BEFORE_HALT) {
                try {
                  action.run();
                } catch (RuntimeException e) {
                  System.err.println("watchdog: " + e);
                }
              }
              // No RESULT line on purpose: a half-made one would be parsed as a real measurement.
              Runtime.getRuntime().halt(3);
            },
            "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
