package io.argus.jobs.eval;

import io.argus.connectors.embedded.EmbeddedKafka;
import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.demo.TopicReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Replays recordings through the analytics job on an embedded broker and MiniCluster, once per
 * model set, and collects each run's events: the same job the cluster runs, bounded, with the
 * recordings replayed as fast as it takes them. The same recordings, models and options give the
 * same events: the same windows and labels, and scores equal to about 1e-7 (PyTorch's float
 * results move in their last bits with batch composition and memory alignment). A recording that
 * cannot be replayed is reported and left out; the others go on.
 */
public final class Evaluation {

    /** Where recordings start in event time; scores subtract it again. */
    public static final long BASE_MS = 1_767_225_600_000L;

    /** One run: the models it served, its events, how long the job took. */
    public record Run(String actionModel, String audioModel, List<AnalyticsEvent> events, double seconds) {}

    /** What was evaluated: the runs, the streams replayed and the recordings refused (file to reason). */
    public record Result(List<Run> runs, List<String> streams, Map<String, String> refused) {}

    private final PrintStream out;

    public Evaluation(PrintStream out) {
        this.out = out;
    }

    /**
     * @param recordings stream id to file
     * @param modelSets pairs of action and audio model settings, one run each
     * @param options further job options (device, batching, ...)
     */
    public Result run(Map<String, Path> recordings, List<String[]> modelSets, Configuration options)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration base = new Configuration();
            base.set(JobOptions.PARALLELISM, 2);
            base.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            base.addAll(options);
            base.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            base.set(JobOptions.BOUNDED, true);
            kafka.createTopics(2, base.get(KafkaOptions.VIDEO_TOPIC), base.get(KafkaOptions.AUDIO_TOPIC));
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            List<String> streams = new ArrayList<>();
            Map<String, String> refused = new LinkedHashMap<>();
            try (ReplayProducer producer = new ReplayProducer(client, base.get(KafkaOptions.VIDEO_TOPIC),
                    base.get(KafkaOptions.AUDIO_TOPIC))) {
                for (Map.Entry<String, Path> r : recordings.entrySet()) {
                    try {
                        ReplayProducer.Stats s = producer.replay(r.getValue(), r.getKey(),
                                ReplayOptions.asFastAsPossible(BASE_MS), null);
                        streams.add(r.getKey());
                        out.printf("argus evaluate: replayed %s as %s: %d video segments, %d audio chunks%n",
                                r.getValue().getFileName(), r.getKey(), s.videoRecords(), s.audioRecords());
                    } catch (Exception e) {
                        refused.put(r.getValue().toString(), e.getMessage() == null ? e.toString() : e.getMessage());
                        out.printf("argus evaluate: cannot replay %s, left out: %s%n", r.getValue(), refused.get(
                                r.getValue().toString()));
                    }
                }
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < modelSets.size(); i++) {
                String[] models = modelSets.get(i);
                Configuration conf = new Configuration();
                conf.addAll(base);
                conf.set(JobOptions.ACTION_MODEL, models[0]);
                conf.set(JobOptions.AUDIO_MODEL, models[1]);
                conf.set(JobOptions.GROUP_ID, "argus-evaluate-" + i);
                conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "argus-evaluate-" + i);
                conf.set(KafkaOptions.EVENTS_TOPIC, "argus.evaluate.events-" + i);
                conf.set(KafkaOptions.DEAD_LETTER_TOPIC, "argus.evaluate.dead-" + i);
                kafka.createTopics(2, conf.get(KafkaOptions.EVENTS_TOPIC), conf.get(KafkaOptions.DEAD_LETTER_TOPIC));
                out.printf("argus evaluate: run %d of %d: --action-model %s --audio-model %s ...%n", i + 1,
                        modelSets.size(), models[0], models[1]);
                long t0 = System.nanoTime();
                AnalyticsJob.run(StreamExecutionEnvironment.createLocalEnvironment(conf.get(JobOptions.PARALLELISM),
                        AnalyticsJob.pipelineConfig()), conf);
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<AnalyticsEvent> events = new ArrayList<>();
                try (TopicReader reader = new TopicReader(client, conf.get(KafkaOptions.EVENTS_TOPIC))) {
                    reader.readToEnd(() -> true, Duration.ofMinutes(2), r -> events.add(EventFormat.fromJson(r.value())));
                }
                out.printf("argus evaluate: run %d: %d events in %.1f s%n", i + 1, events.size(), seconds);
                runs.add(new Run(models[0], models[1], events, seconds));
            }
            return new Result(runs, streams, refused);
        }
    }
}
