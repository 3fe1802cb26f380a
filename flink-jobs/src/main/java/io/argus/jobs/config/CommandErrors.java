package io.argus.jobs.config;

import io.argus.connectors.kafka.KafkaUnavailableException;
import io.argus.models.packaging.InvalidModelPackageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a command ends when it fails: one line on standard error, {@code argus COMMAND: what went
 * wrong}, and an exit code saying whose move it is. The stack trace goes to the log at debug
 * level ({@code ARGUS_LOG_LEVEL=debug}); only failures that are not about the input or the
 * environment (programming errors: a {@code NullPointerException}, say) print their trace, since
 * that is what a bug report needs.
 */
public final class CommandErrors {

    /** Something failed while running: a refused model package, a failed job, a file that cannot be read. */
    public static final int FAILED = 1;
    /** The command line or its input is wrong: an unknown or out-of-range option, a missing file. */
    public static final int USAGE = 2;
    /** Kafka cannot be used: no broker answers, a topic is missing, the client is refused. */
    public static final int KAFKA_UNAVAILABLE = 3;

    private static final Logger LOG = LoggerFactory.getLogger(CommandErrors.class);
    private static final int MAX_LINES_JOINED = 4;

    private CommandErrors() {}

    /**
     * Reports a command's failure on {@code err} and returns its exit code.
     *
     * @param command how the line starts, e.g. {@code argus replay}
     */
    public static int report(String command, Throwable failure, PrintStream err) {
        Throwable t = unwrap(failure);
        LOG.debug("{} failed", command, t);
        int code = exitCode(t);
        err.println(command + ": " + message(t));
        if (code == FAILED && !isExpected(t)) {
            t.printStackTrace(err);
        }
        return code;
    }

    /** The exit code for a failure. */
    static int exitCode(Throwable t) {
        if (t instanceof KafkaUnavailableException) {
            return KAFKA_UNAVAILABLE;
        }
        if (t instanceof IllegalArgumentException || t instanceof NoSuchFileException
                || t instanceof NotDirectoryException || t instanceof FileAlreadyExistsException
                || t instanceof AccessDeniedException) {
            return USAGE;
        }
        return FAILED;
    }

    /** One line: what went wrong, with the file for file system errors (whose messages are just the path). */
    static String message(Throwable t) {
        if (t instanceof NoSuchFileException e) {
            return "no such file or directory: " + e.getFile()
                    + (e.getOtherFile() == null ? "" : " (or " + e.getOtherFile() + ")");
        }
        if (t instanceof NotDirectoryException e) {
            return "not a directory: " + e.getFile();
        }
        if (t instanceof FileAlreadyExistsException e) {
            return "already exists: " + e.getFile();
        }
        if (t instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (t instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        if (t instanceof InvalidModelPackageException) {
            return "refused: " + t.getMessage();
        }
        if (t instanceof org.apache.flink.runtime.client.JobExecutionException) {
            Throwable root = org.apache.flink.util.ExceptionUtils.findThrowable(t, KafkaUnavailableException.class)
                    .map(Throwable.class::cast).orElseGet(() -> rootCause(t));
            return "the job failed: " + (root.getMessage() == null ? root.toString() : root.getMessage())
                    + " (ARGUS_LOG_LEVEL=debug logs the stack trace)";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : oneLine(m);
    }

    /** Failures about the input or the environment, which a stack trace does not help with. */
    private static boolean isExpected(Throwable t) {
        return t instanceof IOException || t instanceof UncheckedIOException || t instanceof IllegalStateException
                || t instanceof IllegalArgumentException || t instanceof KafkaUnavailableException
                || t instanceof org.apache.flink.runtime.client.JobExecutionException;
    }

    /** A message of several lines (a list of problems, say) as one: its first lines joined, the rest counted. */
    static String oneLine(String message) {
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() <= MAX_LINES_JOINED) {
            return String.join(" ", lines);
        }
        return String.join(" ", lines.subList(0, MAX_LINES_JOINED)) + " ... (" + (lines.size() - MAX_LINES_JOINED)
                + " more)";
    }

    private static Throwable rootCause(Throwable t) {
        Throwable x = t;
        while (x.getCause() != null && x.getCause() != x) {
            x = x.getCause();
        }
        return x;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable x = t;
        while ((x instanceof ExecutionException || x instanceof CompletionException
                || x instanceof java.lang.reflect.InvocationTargetException) && x.getCause() != null) {
            x = x.getCause();
        }
        return x instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : x;
    }
}
