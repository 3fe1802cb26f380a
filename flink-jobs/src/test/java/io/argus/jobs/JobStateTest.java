package io.argus.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.config.StateOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a job's checkpoints go and which one it resumes from. */
class JobStateTest {

    /** A checkpoint folder as Flink leaves it; complete when it holds _metadata, written at {@code seconds}. */
    private static Path checkpoint(Path dir, String job, int n, boolean complete, long seconds) throws Exception {
        Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
        if (complete) {
            Path metadata = Files.writeString(chk.resolve(JobState.METADATA), "x");
            Files.setLastModifiedTime(metadata, FileTime.fromMillis(seconds * 1000));
        }
        return chk;
    }

    @Test
    void latestIsTheNewestCompleteCheckpointOfAnyRun(@TempDir Path dir) throws Exception {
        checkpoint(dir, "run-a", 7, true, 100);
        Path newest = checkpoint(dir, "run-b", 3, true, 200);
        checkpoint(dir, "run-b", 4, false, 0); // being written when the process died
        Files.createDirectories(dir.resolve("run-b").resolve("shared"));
        assertThat(JobState.latestCheckpoint(dir)).contains(newest);
        assertThat(JobState.latestCheckpoint(dir.resolve("nothing-here"))).isEmpty();
    }

    @Test
    void resumeFromLatestResolvesUnderTheCheckpointDir(@TempDir Path dir) throws Exception {
        Path chk = checkpoint(dir, "run-a", 2, true, 100);
        Configuration conf = new Configuration();
        conf.set(StateOptions.CHECKPOINT_DIR, dir.toString());
        conf.set(StateOptions.RESUME_FROM, "latest");
        Configuration flink = JobState.flinkSettings(conf);
        assertThat(flink.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(chk.toString());
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(dir.toUri().toString());
        assertThat(flink.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(flink.contains(StateBackendOptions.STATE_BACKEND)).as("the cluster's, unless given").isFalse();
    }

    @Test
    void resumeFromAPathTakesTheFolderOrItsMetadata(@TempDir Path dir) throws Exception {
        Path chk = checkpoint(dir, "run-a", 2, true, 100);
        for (Path given : new Path[] {chk, chk.resolve(JobState.METADATA)}) {
            Configuration conf = new Configuration();
            conf.set(StateOptions.RESUME_FROM, given.toString());
            assertThat(JobState.resumePath(conf)).contains(chk.toString());
        }
    }

    @Test
    void nothingToResumeFromIsAnErrorNamingTheOptionAndWhatToDo(@TempDir Path dir) throws Exception {
        Configuration latest = new Configuration();
        latest.set(StateOptions.CHECKPOINT_DIR, dir.toString());
        latest.set(StateOptions.RESUME_FROM, "latest");
        assertThatThrownBy(() -> JobState.flinkSettings(latest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option --resume-from latest").hasMessageContaining("no complete checkpoint")
                .hasMessageContaining("start without --resume-from");

        Configuration incomplete = new Configuration();
        incomplete.set(StateOptions.RESUME_FROM, checkpoint(dir, "run-a", 5, false, 0).toString());
        assertThatThrownBy(() -> JobState.resumePath(incomplete)).hasMessageContaining("option --resume-from")
                .hasMessageContaining("_metadata does not exist");

        Configuration remote = new Configuration();
        remote.set(StateOptions.CHECKPOINT_DIR, "s3://bucket/checkpoints");
        remote.set(StateOptions.RESUME_FROM, "latest");
        assertThatThrownBy(() -> JobState.resumePath(remote)).hasMessageContaining("needs a local --checkpoint-dir");
    }

    @Test
    void aLocalJobKeepsItsCheckpointsInTheDataFolderUnlessToldOtherwise(@TempDir Path dir) {
        Configuration conf = new Configuration();
        conf.set(StateOptions.DATA_DIR, dir.toString());
        Configuration local = JobState.withLocalDefaults(conf, JobState.defaultCheckpointDir(conf));
        assertThat(local.get(StateOptions.CHECKPOINT_DIR))
                .isEqualTo(dir.resolve("checkpoints").resolve("argus-analytics").toString());
        assertThat(JobState.flinkSettings(local).get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");

        conf.set(StateOptions.CHECKPOINT_DIR, "s3://bucket/argus");
        assertThat(JobState.withLocalDefaults(conf, "x").get(StateOptions.CHECKPOINT_DIR)).isEqualTo("s3://bucket/argus");

        Configuration home = new Configuration();
        assertThat(JobState.dataDir(home)).isEqualTo(Path.of(System.getProperty("user.home"), ".argus"));
        assertThat(JobState.flinkSettings(new Configuration()).toMap()).as("nothing set: nothing changed").isEmpty();
    }

    @Test
    void anInProcessJobWithoutAFolderCheckpointsToATemporaryOne() {
        Configuration cluster = new Configuration();
        JobState.useTemporaryCheckpoints(cluster, new Configuration());
        assertThat(cluster.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(Path.of(java.net.URI.create(cluster.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)))).isDirectory();

        Configuration given = new Configuration();
        given.set(StateOptions.CHECKPOINT_DIR, "/srv/checkpoints");
        Configuration untouched = new Configuration();
        JobState.useTemporaryCheckpoints(untouched, given);
        assertThat(untouched.contains(CheckpointingOptions.CHECKPOINT_STORAGE)).as("--checkpoint-dir decides").isFalse();
    }

    @Test
    void aClusterJobWithoutAnyCheckpointFolderIsWarnedAbout() {
        assertThat(JobState.missingCheckpointFolder(new Configuration(), new Configuration()))
                .hasValueSatisfying(w -> assertThat(w).contains("--checkpoint-dir", "execution.checkpointing.dir", "5 MB"));
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/checkpoints");
        assertThat(JobState.missingCheckpointFolder(new Configuration(), cluster)).isEmpty();
        Configuration given = new Configuration();
        given.set(StateOptions.CHECKPOINT_DIR, "s3://bucket/argus");
        assertThat(JobState.missingCheckpointFolder(given, new Configuration())).isEmpty();
    }
}
