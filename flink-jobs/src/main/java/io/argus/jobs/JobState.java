package io.argus.jobs;

import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.StateOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * What of a job outlives its process, from its {@link StateOptions}: checkpoints on a file system,
 * kept when the job is cancelled, fails or is killed; the state backend; and the checkpoint or
 * savepoint a new run resumes from, {@code latest} being the newest complete checkpoint under the
 * checkpoint folder (Flink writes {@code <dir>/<job id>/chk-<n>/_metadata}, the last file of a
 * checkpoint, once it is complete).
 */
public final class JobState {

    /** The file Flink writes last into a complete checkpoint or savepoint. */
    public static final String METADATA = "_metadata";
    /** {@code --resume-from latest}. */
    public static final String LATEST = "latest";

    private static final Pattern CHECKPOINT = Pattern.compile("chk-\\d+");
    private static Path temporaryCheckpoints;

    private JobState() {}

    /**
     * The options of a job run in this process ({@code argus job}, {@code argus demo}): checkpoints
     * under {@code defaultDir} of the data folder unless {@code --checkpoint-dir} says otherwise,
     * and the state backend's default made explicit.
     */
    public static Configuration withLocalDefaults(Configuration conf, String defaultDir) {
        Configuration c = new Configuration(conf);
        if (!c.contains(StateOptions.CHECKPOINT_DIR)) {
            c.set(StateOptions.CHECKPOINT_DIR, dataDir(c).resolve(defaultDir).toString());
        }
        c.set(StateOptions.STATE_BACKEND, c.get(StateOptions.STATE_BACKEND));
        return c;
    }

    /**
     * Flink's own default when no checkpoint folder is set keeps checkpoints in the JobManager's
     * memory, and refuses any operator state over 5 MB: the frame windows of about 30 cameras in
     * one task. Every checkpoint then fails and the job restarts, without end. A MiniCluster job
     * given no folder ({@code argus evaluate}, the benchmarks, tests) therefore checkpoints to a
     * temporary folder of this process instead, removed when the process exits.
     */
    static void useTemporaryCheckpoints(Configuration cluster, Configuration conf) {
        if (conf.get(StateOptions.CHECKPOINT_DIR) != null || cluster.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            return;
        }
        cluster.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, temporaryCheckpoints().toUri().toString());
    }

    /**
     * What to tell the user when a job submitted to a cluster has no checkpoint folder, neither
     * {@code --checkpoint-dir} nor the cluster's {@code execution.checkpointing.dir}; empty when it has one.
     */
    static Optional<String> missingCheckpointFolder(Configuration conf, ReadableConfig cluster) {
        if (conf.get(StateOptions.CHECKPOINT_DIR) != null || cluster.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                .isPresent()) {
            return Optional.empty();
        }
        return Optional.of("no checkpoint folder: neither --" + StateOptions.CHECKPOINT_DIR.key() + " nor the cluster's "
                + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + " is set, so Flink keeps checkpoints in the "
                + "JobManager's memory, which refuses more than 5 MB of state per operator (the frame windows of "
                + "about 30 cameras in one task): past that every checkpoint fails, no event is committed and the "
                + "job restarts. Set one of them (a folder every task manager reaches, e.g. s3://, hdfs://, or a "
                + "shared file:// path)");
    }

    private static synchronized Path temporaryCheckpoints() {
        if (temporaryCheckpoints == null) {
            try {
                Path dir = Files.createTempDirectory("argus-checkpoints-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "argus-checkpoints-cleanup"));
                temporaryCheckpoints = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary checkpoint folder", e);
            }
        }
        return temporaryCheckpoints;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a folder under the temporary directory; the system cleans it up in the end
        }
    }

    /** The job's default checkpoint folder under the data folder: {@code checkpoints/<job-name>}. */
    public static String defaultCheckpointDir(Configuration conf) {
        return "checkpoints/" + conf.get(JobOptions.JOB_NAME);
    }

    /** {@code --data-dir}, with a leading {@code ~} as the home folder. */
    public static Path dataDir(Configuration conf) {
        String dir = conf.get(StateOptions.DATA_DIR);
        if (dir.equals("~") || dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath();
    }

    /**
     * The Flink settings of the job's state, to apply to its environment: file-system checkpoints
     * kept on cancellation and failure when a checkpoint folder is set, the state backend when it
     * is set, and the path to resume from ({@code latest} resolved now).
     *
     * @throws IllegalArgumentException naming the option when there is nothing to resume from
     */
    public static Configuration flinkSettings(Configuration conf) {
        Configuration flink = new Configuration();
        String dir = conf.get(StateOptions.CHECKPOINT_DIR);
        if (dir != null) {
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, uri(dir));
            flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (conf.contains(StateOptions.STATE_BACKEND)) {
            flink.set(StateBackendOptions.STATE_BACKEND,
                    conf.get(StateOptions.STATE_BACKEND).name().toLowerCase(Locale.ROOT));
        }
        resumePath(conf).ifPresent(p -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
        return flink;
    }

    /**
     * What {@code --resume-from} names, as Flink takes it: {@code latest} resolved to the newest
     * complete checkpoint, a local folder or file checked to hold a checkpoint; empty when unset.
     */
    public static Optional<String> resumePath(Configuration conf) {
        String from = conf.get(StateOptions.RESUME_FROM);
        if (from == null) {
            return Optional.empty();
        }
        String option = "option --" + StateOptions.RESUME_FROM.key() + " " + from;
        if (from.equals(LATEST)) {
            String dir = conf.get(StateOptions.CHECKPOINT_DIR);
            if (dir == null || isRemote(dir)) {
                throw new IllegalArgumentException(option + ": needs a local --" + StateOptions.CHECKPOINT_DIR.key()
                        + " to look in" + (dir == null ? "" : " (not " + dir + ")") + "; give the checkpoint's path");
            }
            return Optional.of(latestCheckpoint(localPath(dir))
                    .orElseThrow(() -> new IllegalArgumentException(option + ": no complete checkpoint under " + dir
                            + "; start without --" + StateOptions.RESUME_FROM.key()))
                    .toString());
        }
        if (isRemote(from)) {
            return Optional.of(from);
        }
        Path path = localPath(from).toAbsolutePath();
        Path metadata = path.getFileName() != null && path.getFileName().toString().equals(METADATA)
                ? path : path.resolve(METADATA);
        if (!Files.isRegularFile(metadata)) {
            throw new IllegalArgumentException(option + ": " + metadata + " does not exist, so " + path
                    + " is no complete checkpoint or savepoint");
        }
        return Optional.of(metadata.getParent().toString());
    }

    /** The newest complete checkpoint ({@code <job id>/chk-<n>} holding {@code _metadata}) under {@code dir}. */
    public static Optional<Path> latestCheckpoint(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(JobState::checkpointsOf)
                    .filter(c -> Files.isRegularFile(c.resolve(METADATA)))
                    .max(Comparator.comparing(c -> modified(c.resolve(METADATA))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints under " + dir, e);
        }
    }

    private static Stream<Path> checkpointsOf(Path jobDir) {
        try (Stream<Path> entries = Files.list(jobDir)) {
            return entries.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches()).toList().stream();
        } catch (IOException e) {
            return Stream.empty(); // a job folder removed meanwhile
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static boolean isRemote(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file:");
    }

    private static String uri(String dir) {
        return dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }

    /** A local location, given as a path or a {@code file:} URI. */
    private static Path localPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
}
