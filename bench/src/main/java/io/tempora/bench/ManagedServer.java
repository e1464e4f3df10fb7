package io.tempora.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server process the bench starts itself (from {@code --server-cmd}), so that it knows the pid without being
 * told and can SIGKILL it and start it again on the same data, timing how long it takes to become ready.
 *
 * <p>The command runs as {@code bash -c "exec <command>"}: the shell's quoting works, and {@code exec} makes the
 * server itself the child process, so the pid is the server's and the kill hits the server, not a shell. Its
 * output (stdout and stderr) is appended to a log file, each start under a header line; the server counts as
 * ready at the first line containing {@code readyText}.
 */
final class ManagedServer implements AutoCloseable {

  private final String command;
  private final String readyText;
  private final Path log;
  private Process process;

  ManagedServer(String command, String readyText, Path log) {
    this.command = command;
    this.readyText = readyText;
    this.log = log;
    // A watchdog halt skips shutdown hooks, so it is told separately; either way no server outlives the bench.
    Watchdog.beforeHalt(this::destroyNow);
    Runtime.getRuntime().addShutdownHook(new Thread(this::destroyNow, "managed-server-stop"));
  }

  long pid() {
    return process.pid();
  }

  /**
   * Starts the server and waits until it printed its ready line.
   *
   * @return nanoseconds from spawning the process until the ready line
   * @throws IOException if it cannot be started, exits first, or is not ready within {@code timeoutSeconds}
   */
  synchronized long start(long timeoutSeconds) throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("server already running, pid " + process.pid());
    }
    Files.writeString(log, "==== bench: starting server: " + command + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long t0 = System.nanoTime();
    process = new ProcessBuilder("/bin/bash", "-c", "exec " + command).redirectErrorStream(true).start();
    CompletableFuture<Long> ready = new CompletableFuture<>();
    Process p = process;
    Thread.ofPlatform().daemon().name("managed-server-output").start(() -> copyOutput(p, t0, ready));
    try {
      return ready.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      destroyNow();
      throw new IOException("server not ready after " + timeoutSeconds + " s (see " + log + ")");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("server exited before it was ready (see " + log + ")", e.getCause());
    }
  }

  /** Copies the server's output to the log until the process ends, completing {@code ready} at the ready line. */
  private void copyOutput(Process p, long t0, CompletableFuture<Long> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!ready.isDone() && line.contains(readyText)) {
          ready.complete(System.nanoTime() - t0);
        }
        out.println(line);
      }
    } catch (IOException e) {
      // the process is gone; fall through
    }
    ready.completeExceptionally(new IOException("server output ended, exit status " + exitStatus(p)));
  }

  private static String exitStatus(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** SIGKILL, as a crash would end it, and wait until it is gone (so its port and files are free). */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly(); // SIGKILL on Linux
      process.waitFor();
    }
  }

  /** A clean stop: SIGTERM, then SIGKILL if it has not stopped within 20 s. */
  @Override
  public synchronized void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        destroyNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroyNow();
    }
  }

  private void destroyNow() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
    }
  }
}
