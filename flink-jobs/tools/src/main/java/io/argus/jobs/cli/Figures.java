package io.argus.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one benchmark run, each under a stable dotted name ({@code video.decode.kept.framesPerCpuSecond}),
 * in the order measured, with what the machine was doing when the run began; written as JSON by
 * {@code argus benchmark --json FILE}. Names do not change between versions, so runs can be compared
 * figure by figure.
 */
final class Figures {

    private final Map<String, Object> figures = new LinkedHashMap<>();

    /** A run on this machine now: its cores, its load average and the time. */
    static Figures ofThisMachine() {
        Figures f = new Figures();
        f.put("machine.cores", Runtime.getRuntime().availableProcessors());
        f.put("machine.loadAverage1mBefore", loadAverage());
        f.put("run.startedAt", Instant.now().toString());
        return f;
    }

    /** Records a figure; a number is rounded to 3 decimals (the runs are not that precise). */
    Figures put(String name, Object value) {
        if (value instanceof Double d) {
            value = Double.isFinite(d) ? Math.round(d * 1000) / 1000.0 : null;
        }
        figures.put(name, value);
        return this;
    }

    Object get(String name) {
        return figures.get(name);
    }

    void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ObjectNode all = root.putObject("figures");
        figures.forEach((k, v) -> all.putPOJO(k, v));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        json.writeValue(file.toFile(), root);
    }

    /** The 1-minute load average, or -1 where the system does not say. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** CPU time this process has used, all its threads, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time another process has used (user and system, from /proc), in nanoseconds; -1 if unknown. */
    static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of this process's children that have ended and been waited for (user and system,
     * from /proc), in nanoseconds; -1 if unknown.
     */
    static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime (fields 16 and 17)
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of this process, in bytes; -1 if unknown. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
