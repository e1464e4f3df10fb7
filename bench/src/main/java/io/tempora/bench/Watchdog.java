package io.tempora.bench;

/**
 * Last-resort guarantee that a bench run ends. The driver already honours --timeout-seconds, but connection
 * setup or SDK shutdown could still block on a misbehaving server; this halts the JVM if that happens.
 */
final class Watchdog {

  private Watchdog() {}

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
              // No RESULT line on purpose: a half-made one would be parsed as a real measurement.
              Runtime.getRuntime().halt(3);
            },
            "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
