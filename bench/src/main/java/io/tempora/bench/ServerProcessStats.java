package io.tempora.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server process's own counters: CPU time from {@code /proc/PID/stat}, resident memory from
 * {@code /proc/PID/status}, used heap from {@code jcmd PID GC.heap_info}. The benches run on the same machine as
 * the server, so this is the cheapest honest way to say how much the server (not the client) spent.
 *
 * <p>Every reader returns -1 instead of failing: a figure that cannot be read (no such process, not Linux, no
 * jcmd, another user's JVM) must never cost the rest of the report.
 */
final class ServerProcessStats {

  // jcmd prints one heap line per collector, e.g. " garbage-first heap   total 262144K, used 23456K [..." (G1),
  // " ZHeap           used 54M, capacity 128M, ..." (ZGC). The first "used" on a line naming the heap is it;
  // the Metaspace line that follows has a "used" too, which is why the line must mention "heap".
  private static final Pattern HEAP_USED = Pattern.compile("(?i)heap.*?\\bused\\s+(\\d+)([KMG])");

  private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

  private final long pid;

  ServerProcessStats(long pid) {
    this.pid = pid;
  }

  long pid() {
    return pid;
  }

  /** User plus system CPU time the process has used so far, in milliseconds; -1 if unreadable. */
  long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) is in parentheses and may contain spaces; count fields after its ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (field 14), stime (field 15)
      return ticks * 1000L / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1L;
    }
  }

  /**
   * CPU (user + system, milliseconds) of every live process whose command name is {@code comm}, e.g. the
   * {@code postgres} backends or {@code mariadbd}: a database server's own share of a bench on the same machine.
   * A process that exits within the phase takes its time with it (the server's connections live throughout).
   */
  static long cpuMillisOfAll(String comm) {
    long total = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
          if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals(comm)) {
            long cpu = new ServerProcessStats(Long.parseLong(name)).cpuMillis();
            total += Math.max(cpu, 0);
          }
        } catch (IOException | RuntimeException e) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      return -1L;
    }
    return total;
  }

  /** Resident set size (VmRSS) in MiB; -1 if unreadable. */
  double rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // the kernel reports kB
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1.0;
  }

  /**
   * Heap in use in MiB as {@code GC.heap_info} reports it, garbage included; with {@code collectFirst} a full GC
   * ({@code GC.run}) comes first, so the figure is what the server actually keeps alive. -1 if jcmd fails.
   */
  double heapUsedMb(boolean collectFirst) {
    if (collectFirst && jcmd("GC.run") == null) {
      return -1.0;
    }
    String out = jcmd("GC.heap_info");
    if (out == null) {
      return -1.0;
    }
    for (String line : out.split("\n")) {
      if (line.toLowerCase().contains("metaspace")) {
        continue;
      }
      Matcher m = HEAP_USED.matcher(line);
      if (m.find()) {
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2).toUpperCase()) {
          case "K" -> value / 1024.0;
          case "G" -> value * 1024.0;
          default -> value;
        };
      }
    }
    return -1.0;
  }

  /** jcmd's output, or null if it could not be run, failed or took over 30 s. */
  private String jcmd(String command) {
    try {
      Process p =
          new ProcessBuilder(jcmdPath(), Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The jcmd of the JDK running the bench (the server normally runs on the same one), else whatever PATH has. */
  private static String jcmdPath() {
    Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(own) ? own.toString() : "jcmd";
  }

  /** The kernel's clock ticks per second, in which /proc reports CPU time; 100 (Linux's usual) if unknown. */
  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        long ticks = Long.parseLong(out);
        if (ticks > 0) {
          return ticks;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100L;
  }
}
