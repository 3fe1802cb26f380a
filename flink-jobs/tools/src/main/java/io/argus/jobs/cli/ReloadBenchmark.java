package io.argus.jobs.cli;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.models.ActionModelRef;
import io.argus.jobs.models.AudioModelRef;
import io.argus.jobs.models.ModelRegistry;
import io.argus.models.classify.Classifier;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.operators.inference.ModelSource;
import io.argus.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code argus benchmark --path reload}: what a hot reload costs. First the time to load, check and
 * warm up a candidate version (what the loader thread does) for each bundled model; then the audio
 * job serving {@code registry:audio-cnn} while {@code --streams} microphones are replayed at their
 * own pace, with a new version promoted half-way: decode-to-decision latency of the events before,
 * around (from 1 s before to 3 s after the first event of the new version) and after the switch.
 */
final class ReloadBenchmark {

    private static final long BASE = BenchmarkCommand.BASE;

    private ReloadBenchmark() {}

    static void run(Path dir, Path clip, Configuration options, int streams, int repeat) throws Exception {
        Path registryDir = dir.resolve("registry");
        ModelRegistry registry = new ModelRegistry(registryDir.toString());
        for (String model : List.of("action-cnn-lstm", "audio-cnn")) {
            for (String version : List.of("1.0.0", "1.0.1")) {
                registry.publish(version(dir, model, version));
            }
            registry.promote(model, "1.0.0", true);
        }
        String device = options.get(InferenceOptions.DEVICE);
        ModelSource<?> action = ActionModelRef.resolve("registry:action-cnn-lstm", ModelTrust.of(List.of(), null),
                registryDir.toString()).source(device, options.get(VideoOptions.MOTION_THRESHOLD));
        ModelSource<?> audio = AudioModelRef.resolve("registry:audio-cnn", ModelTrust.of(List.of(), null),
                registryDir.toString()).source(device, options.get(AudioOptions.SILENCE_DBFS),
                options.get(AudioOptions.LOUD_DBFS));
        for (ModelSource<?> source : List.of(action, audio)) {
            double[] ms = new double[Math.max(3, repeat * 2)];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                try (Classifier<?> c = source.load("1.0.1")) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "reload of %s: read, verify, admit (golden set): median %.0f ms, max %.0f ms "
                    + "(%d loads, off the task thread)%n", source.describe(), ms[ms.length / 2], ms[ms.length - 1],
                    ms.length);
        }
        latencyAroundASwitch(registry, registryDir, clip, options, streams);
    }

    private static void latencyAroundASwitch(ModelRegistry registry, Path registryDir, Path clip,
            Configuration options, int streams) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration conf = BenchmarkCommand.embeddedJob(kafka, options, false, false);
            conf.set(AudioOptions.MODEL, "registry:audio-cnn");
            conf.set(InferenceOptions.MODEL_REGISTRY, registryDir.toString());
            conf.set(InferenceOptions.MODEL_POLL_INTERVAL, Duration.ofMillis(500));
            StreamExecutionEnvironment env = AnalyticsJob.localEnvironment(2, conf);
            new AnalyticsPipeline(conf).build(env);
            JobClient job = env.executeAsync("reload-benchmark");
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            List<CompletableFuture<Void>> replays = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                String stream = "mic-" + s;
                replays.add(CompletableFuture.runAsync(() -> replayLive(client, conf, clip, stream)));
            }
            List<AnalyticsEvent> events = new ArrayList<>();
            try (TopicReader reader = new TopicReader(client, conf.get(KafkaOptions.EVENTS_TOPIC))) {
                long promoteAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                boolean promoted = false;
                while (!replays.stream().allMatch(CompletableFuture::isDone) || !promoted) {
                    reader.poll(Duration.ofMillis(200), r -> events.add(EventFormat.fromJson(r.value())));
                    if (!promoted && System.nanoTime() > promoteAt) {
                        registry.promote("audio-cnn", "1.0.1", true);
                        promoted = true;
                    }
                }
                long quietUntil = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (System.nanoTime() < quietUntil) { // the last windows, released by the idle flush, then committed
                    reader.poll(Duration.ofMillis(200), r -> events.add(EventFormat.fromJson(r.value())));
                }
            }
            job.cancel().get();
            report(events, streams);
        }
    }

    private static void report(List<AnalyticsEvent> events, int streams) {
        long switchAt = events.stream().filter(e -> e.modelVersion.equals("1.0.1")).mapToLong(e -> e.inferredAtMs).min()
                .orElseThrow(() -> new IllegalStateException("no event of the promoted version"));
        List<Long> before = new ArrayList<>();
        List<Long> around = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (AnalyticsEvent e : events) {
            long latency = e.inferredAtMs - e.decodedAtMs;
            (e.inferredAtMs < switchAt - 1000 ? before : e.inferredAtMs <= switchAt + 3000 ? around : after).add(latency);
        }
        System.out.printf(Locale.ROOT, "latency around a switch (%d microphones replayed at their own pace, %d events, "
                + "decode to decision; 1 s of ordering hold included):%n", streams, events.size());
        String[] names = {"before", "around", "after"};
        List<long[]> phases = List.of(sorted(before), sorted(around), sorted(after));
        for (int k = 0; k < names.length; k++) {
            long[] v = phases.get(k);
            if (v.length > 0) {
                System.out.printf(Locale.ROOT, "  %-7s %4d events  p50 %5d ms  p99 %5d ms  max %5d ms%n", names[k],
                        v.length, v[v.length / 2], p99(v), v[v.length - 1]);
            }
        }
        long[] b = phases.get(0);
        long[] a = phases.get(1);
        if (b.length > 0 && a.length > 0) {
            System.out.printf(Locale.ROOT, "ratio: max around the switch / p99 before it %.2f%n",
                    (double) a[a.length - 1] / p99(b));
        }
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long p99(long[] sorted) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }

    private static void replayLive(KafkaClientConfig client, Configuration conf, Path clip, String stream) {
        try (ReplayProducer p = new ReplayProducer(client, conf.get(KafkaOptions.VIDEO_TOPIC),
                conf.get(KafkaOptions.AUDIO_TOPIC))) {
            p.replay(clip, stream, new ReplayOptions(BASE, true, 1, SegmentOptions.DEFAULT), null);
        } catch (Exception e) {
            throw new IllegalStateException("replay of " + stream + " failed", e);
        }
    }

    /** A bundled model re-versioned (same weights) as a package directory. */
    private static Path version(Path dir, String model, String version) throws Exception {
        Path pkg = dir.resolve(model + "-" + version);
        ModelPackage.bundled(model).withVersion(version).writeTo(pkg);
        return pkg;
    }
}
