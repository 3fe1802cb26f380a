package io.argus.jobs.cli;

import io.argus.connectors.events.EventFormat;
import io.argus.connectors.kafka.KafkaClientConfig;
import io.argus.connectors.replay.ReplayOptions;
import io.argus.connectors.replay.ReplayProducer;
import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.config.InferenceOptions;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.models.ModelRegistry;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import io.argus.testkit.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus benchmark --path shadow}: what a shadow version costs. The whole video job (pixel
 * model {@code registry:action-cnn-lstm}, bounded, {@code --streams} cameras of the 20 s clip
 * replayed before it starts) runs on the same input without a shadow and with version 1.0.1 as the
 * shadow of 1.0.0 (same weights), alternately, {@code --repeat} pairs; the shadow may lag without
 * bound here, so it classifies every window and the figure is its full cost. Reported: wall time and
 * CPU time of this process (job and broker) per run, and their ratios with / without.
 */
final class ShadowBenchmark {

    private static final String MODEL = "action-cnn-lstm";

    private record Run(double seconds, double cpuSeconds, int events, int shadowEvents) {}

    private ShadowBenchmark() {}

    static void run(Path dir, Path clip, Configuration options, int streams, int pairs, Figures figures,
            PrintStream out) throws Exception {
        Path registryDir = dir.resolve("shadow-registry");
        ModelRegistry registry = new ModelRegistry(registryDir.toString());
        for (String version : List.of("1.0.0", "1.0.1")) {
            Path pkg = dir.resolve(MODEL + "-shadow-" + version);
            ModelPackage.bundled(MODEL).withVersion(version).writeTo(pkg);
            registry.publish(pkg);
        }
        registry.promote(MODEL, "1.0.0", true);
        double[] plain = new double[2];
        double[] shadowed = new double[2];
        for (int i = 0; i < Math.max(1, pairs); i++) {
            for (boolean shadow : i % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                if (shadow) {
                    registry.startShadow(MODEL, "1.0.1", ModelTrust.CALLER);
                } else {
                    registry.stopShadow(MODEL);
                }
                Run r = once(clip, streams, options, registryDir);
                out.printf(Locale.ROOT, "shadow: run %d %-14s %6.1f s, %6.1f CPU-s, %d events, %d shadow events "
                        + "(load average %.1f after)%n", i + 1, shadow ? "with a shadow" : "without", r.seconds(),
                        r.cpuSeconds(), r.events(), r.shadowEvents(), Figures.loadAverage());
                double[] sum = shadow ? shadowed : plain;
                sum[0] += r.seconds();
                sum[1] += r.cpuSeconds();
            }
        }
        double wall = shadowed[0] / plain[0];
        double cpu = shadowed[1] / plain[1];
        out.printf(Locale.ROOT, "shadow: %d cameras x 20 s, pixel model; with / without a shadow: wall time %.2f, "
                + "CPU time %.2f (sums over %d runs each)%n", streams, wall, cpu, Math.max(1, pairs));
        figures.put("shadow.cameras", streams);
        figures.put("shadow.wallRatio", wall);
        figures.put("shadow.cpuRatio", cpu);
    }

    private static Run once(Path clip, int streams, Configuration options, Path registryDir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration conf = BenchmarkCommand.embeddedJob(kafka, options, true, true);
            conf.set(VideoOptions.ACTION_MODEL, "registry:" + MODEL);
            conf.set(InferenceOptions.MODEL_REGISTRY, registryDir.toString());
            conf.set(InferenceOptions.SHADOW_MAX_LAG, Duration.ofHours(1)); // its full cost: no batch skipped
            KafkaClientConfig client = KafkaClientConfig.of(kafka.bootstrapServers());
            try (ReplayProducer p = new ReplayProducer(client, conf.get(KafkaOptions.VIDEO_TOPIC),
                    conf.get(KafkaOptions.AUDIO_TOPIC))) {
                for (int s = 0; s < streams; s++) {
                    p.replay(clip, "cam-" + s, ReplayOptions.asFastAsPossible(BenchmarkCommand.BASE), null);
                }
            }
            long cpu0 = Figures.processCpuNanos();
            long t0 = System.nanoTime();
            AnalyticsJob.run(AnalyticsJob.localEnvironment(2, conf), conf);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (Figures.processCpuNanos() - cpu0) / 1e9;
            int[] counts = new int[2];
            try (TopicReader reader = new TopicReader(client, conf.get(KafkaOptions.EVENTS_TOPIC),
                    conf.get(KafkaOptions.SHADOW_TOPIC))) {
                reader.readToEnd(() -> true, Duration.ofMinutes(1),
                        r -> counts[EventFormat.fromJson(r.value()).isShadow() ? 1 : 0]++);
            }
            return new Run(seconds, cpu, counts[0], counts[1]);
        }
    }
}
