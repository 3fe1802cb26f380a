package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.media.MediaRecordFormat;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * How each stream's media is admitted, ordered and released: the payload limit, the
 * reordering bound, idle flushing and release, clock jumps.
 */
public final class StreamOptions {

    public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES = key("max-payload-bytes")
            .intType()
            .defaultValue(MediaRecordFormat.DEFAULT_MAX_PAYLOAD_BYTES)
            .withDescription("Largest media payload accepted; larger records go to the dead-letter topic.");

    public static final ConfigOption<Duration> REORDER_BOUND = key("reorder-bound")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("How far out of capture-time order a stream's media may arrive; older media "
                    + "is dropped as late (metric lateElements).");

    public static final ConfigOption<Boolean> IN_ORDER_RELEASE = key("in-order-release")
            .booleanType()
            .defaultValue(true)
            .withDescription("Media that starts where its stream's last processed media ended (audio chunks) is "
                    + "processed at once instead of waiting --reorder-bound: a stream that arrives in order is not "
                    + "held, one out of order is still sorted. Video frames do not say where they end and are "
                    + "always held.");

    public static final ConfigOption<Duration> IDLE_FLUSH = key("idle-flush")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("A stream silent this long has its held-back media processed.");

    public static final ConfigOption<Duration> IDLE_RELEASE = key("idle-release")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A stream silent this long (processing time) has all its state released: windows, "
                    + "clocks, held media; reported on the status topic. If it comes back it starts as a new "
                    + "stream. Bounds the job's state by the live streams. At least --idle-flush.");

    public static final ConfigOption<Duration> CLOCK_JUMP = key("clock-jump")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Media this much older than the newest of its stream, or newer by this much more "
                    + "than the time since the stream's last record, means the stream's clock jumped: its windows "
                    + "start over from the new clock (instead of everything being dropped as late), reported on "
                    + "the status topic. Longer than --reorder-bound.");

    /** These options, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(MAX_PAYLOAD_BYTES, REORDER_BOUND, IN_ORDER_RELEASE,
            IDLE_FLUSH, IDLE_RELEASE, CLOCK_JUMP);

    private StreamOptions() {}
}
