package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Where the job keeps its state so that it survives the process: checkpoints on a file system,
 * the state backend, and what a new run resumes from. See {@code io.argus.jobs.JobState}.
 */
public final class StateOptions {

    /** Where keyed state lives while the job runs. */
    public enum Backend { HASHMAP, ROCKSDB }

    public static final ConfigOption<String> DATA_DIR = key("data-dir")
            .stringType()
            .defaultValue("~/.argus")
            .withDescription("Folder where a job run by argus job or argus demo keeps what outlives the process: "
                    + "its checkpoints (and the demo's broker). ~ is the home folder.");

    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint-dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Where checkpoints are written (a path, or a URI of a Flink file system: file://, "
                    + "s3://, hdfs://); the latest complete one is kept when the job is cancelled, fails or is "
                    + "killed. Unset: <data-dir>/checkpoints/<job-name> for argus job, <data-dir>/demo/checkpoints "
                    + "for argus demo; on a cluster, the cluster's execution.checkpointing.dir.");

    public static final ConfigOption<String> RESUME_FROM = key("resume-from")
            .stringType()
            .noDefaultValue()
            .withDescription("Start from a kept checkpoint or a savepoint: its folder (chk-N, savepoint-...), "
                    + "its _metadata file, or latest: the newest complete checkpoint under --checkpoint-dir. "
                    + "Keep --group-id and --transactional-id-prefix as they were.");

    public static final ConfigOption<Backend> STATE_BACKEND = key("state-backend")
            .enumType(Backend.class)
            .defaultValue(Backend.HASHMAP)
            .withDescription("HASHMAP: state as objects on the heap (measured faster for Argus's windows; see "
                    + "docs/operations.md); ROCKSDB: embedded RocksDB on local disk, for state larger than memory "
                    + "(Flink distributions ship it; the job jar does not). On a cluster, unset leaves the "
                    + "cluster's state.backend.type.");

    /** The options of a job's state, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(CHECKPOINT_DIR, RESUME_FROM, DATA_DIR, STATE_BACKEND);

    private StateOptions() {}
}
