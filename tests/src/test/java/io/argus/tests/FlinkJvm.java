package io.argus.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One JVM of a standalone Flink cluster (a JobManager, a TaskManager, the {@code flink} client),
 * started from a main class on the cluster's classpath, with its stdout and stderr in one log file
 * so that a failing test can show what the process said.
 */
final class FlinkJvm implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(15);

    final String name;
    final Path log;
    private final Process process;

    private FlinkJvm(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} in {@code workDir}. */
    static FlinkJvm start(String name, Path workDir, String classpath, List<String> jvmArgs, String mainClass,
            List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new FlinkJvm(name, log, builder.start());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Waits up to {@code timeout} for the JVM to exit; true when it has. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The log's lines; what the JVM has written so far. */
    List<String> lines() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e + ")");
        }
    }

    List<String> linesMatching(Pattern pattern) {
        return lines().stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    /** The last lines of the log, headed by the process name and the log's path. */
    String tail(int count) {
        List<String> lines = lines();
        List<String> last = lines.subList(Math.max(0, lines.size() - count), lines.size());
        return "---- " + name + " (" + log + "), last " + last.size() + " lines:\n" + String.join("\n", last) + "\n";
    }

    /** Kills the JVM at once, without its shutdown hooks. */
    void kill() {
        process.destroyForcibly();
    }

    /** Asks the JVM to stop (running Flink's shutdown hooks), and kills it if it has not within 15 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!awaitExit(GRACE)) {
            process.destroyForcibly();
            awaitExit(GRACE);
        }
    }
}
