package io.argus.operators.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether repeated work grows the process's native memory: resident memory less what the JVM has
 * committed for its heap and non-heap areas, measured after each of eight rounds of the work.
 *
 * <p>The first rounds grow without a leak: the JIT compiles the work's path then, and the
 * compiler's own memory is native memory outside the JVM's committed areas (seen once in a full
 * run: 242, 362, 301, 301, 307, 301 MB, flat from the third round on). So growth is taken from the
 * third round: the minimum of rounds three and four against that of rounds seven and eight, the
 * minimum of two filtering the allocator's own fluctuation of about +/-30 MB.
 */
public final class NativeMemory {

    /** One round of the work measured. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    private static final int ROUNDS = 8;

    private NativeMemory() {}

    /** Native memory in MB after each of eight runs of {@code round}. */
    public static long[] afterRounds(Round round) throws Exception {
        long[] mb = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            round.run();
            mb[i] = nativeKb() / 1024;
        }
        return mb;
    }

    /** MB grown from rounds three and four to rounds seven and eight. */
    public static long growthMb(long[] afterRounds) {
        return Math.min(afterRounds[6], afterRounds[7]) - Math.min(afterRounds[2], afterRounds[3]);
    }

    private static long nativeKb() throws Exception {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long jvmKb = (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / 1024;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) - jvmKb;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
