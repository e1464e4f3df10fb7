package io.tempora.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The other floor under a durable transition: how many fsyncs a second this machine's disk gives, and the CPU each
 * costs, for appends the size of a group commit's WAL frames. SQLite in WAL mode with synchronous=FULL syncs the
 * WAL once per commit (overwriting it in place once it has settled, as this bench does), so this is about the most
 * commits a second the disk allows, and a transition's share of a commit costs about this CPU divided by the
 * transitions that share it.
 *
 * <pre>FsyncFloor [--dir DIR] [--bytes 65536] [--seconds 5]</pre>
 */
@Command(name = "FsyncFloor", mixinStandardHelpOptions = true,
    description = "fsyncs per second and CPU per fsync for appends of --bytes in --dir.")
public final class FsyncFloor implements Callable<Integer> {

  @Option(names = "--dir", description = "directory on the disk to measure (default: the working directory, where"
      + " start-dev keeps tempora.db)")
  Path dir = Path.of(".");

  @Option(names = "--bytes", description = "bytes appended before each fsync (default: ${DEFAULT-VALUE})")
  int bytes = 64 * 1024;

  private static final int SLOTS = 64;

  @Option(names = "--seconds", description = "how long to measure (default: ${DEFAULT-VALUE})")
  int seconds = 5;

  public static void main(String[] args) {
    BenchSupport.runAndExit(new FsyncFloor(), args);
  }

  @Override
  public Integer call() throws Exception {
    Path file = Files.createTempFile(dir, "fsync-floor-", ".bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocateDirect(bytes);
      for (int i = 0; i < SLOTS; i++) { // the file at its full size, synced, before the measured part
        block.clear();
        channel.write(block, (long) i * bytes);
      }
      channel.force(true);
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      long syncs = 0;
      while (System.nanoTime() < end) {
        block.clear();
        // Like a WAL after its first pass: frames overwrite a file of a settled size, so fdatasync has no size to log.
        long position = (syncs % SLOTS) * (long) bytes;
        while (block.hasRemaining()) {
          position += channel.write(block, position);
        }
        channel.force(false);
        syncs++;
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      System.out.printf("RESULT bench=fsync-floor dir=%s bytes=%d fsyncs=%d seconds=%.2f fsyncs_per_second=%.0f"
              + " cpu_us_per_fsync=%.1f%n", dir, bytes, syncs, wall, syncs / wall, (cpuNanos() - cpu0) / 1000.0 / syncs);
    } finally {
      Files.deleteIfExists(file);
    }
    return 0;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
