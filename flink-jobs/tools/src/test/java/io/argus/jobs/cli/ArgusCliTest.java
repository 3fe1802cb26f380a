package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.config.CommandErrors;
import io.argus.models.action.Action;
import io.argus.testkit.EmbeddedKafka;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code argus} command given bad input, as a user would give it: each mistake ends the
 * command with one line on standard error that names the option, file, broker or topic, no stack
 * trace, and the exit code of its kind (2 for the command line or input, 3 for Kafka, 1 for a
 * failure while running).
 */
class ArgusCliTest {

    @TempDir
    static Path dir;
    private static Path clip;
    private static Path notMedia;

    @BeforeAll
    static void files() throws IOException {
        clip = dir.resolve("clip.mkv");
        SyntheticClip.standard(5).write(clip,
                List.of(new SyntheticClip.Phase(2000, Action.WALKING, SyntheticClip.Sound.QUIET)));
        notMedia = Files.writeString(dir.resolve("notes.txt"), "not a recording\n");
    }

    /** What a run of the command printed on standard error, and its exit code. */
    private record Outcome(int code, List<String> lines) {
        String line() {
            assertThat(lines).as("lines on stderr").hasSize(1);
            return lines.get(0);
        }
    }

    private static Outcome argus(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ArgusCli.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void numericOptionsOutOfRangeAreRefusedBeforeAnythingRuns() {
        Outcome zero = argus("job", "--parallelism", "0");
        assertThat(zero.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(zero.line()).isEqualTo("argus job: option --parallelism: 0 is out of range (at least 1 or -1)");

        Outcome negative = argus("job", "--max-payload-bytes", "-1");
        assertThat(negative.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(negative.line()).isEqualTo("argus job: option --max-payload-bytes: -1 is out of range (1 to 1073741824)");

        assertThat(argus("demo", "--checkpoint-interval", "5 ms").line())
                .isEqualTo("argus demo: option --checkpoint-interval: 5 ms is out of range (at least 10 ms or 0 ms)");
        assertThat(argus("replay", clip.toString(), "--stream", "cam", "--loop", "-2").line())
                .isEqualTo("argus replay: option --loop: -2 is out of range (at least 0)");
        assertThat(argus("train-audio", "--epochs", "0").line())
                .isEqualTo("argus train-audio: option --epochs: 0 is out of range (1 to 10000)");
        assertThat(argus("benchmark", "--streams", "0").code()).isEqualTo(CommandErrors.USAGE);
    }

    @Test
    void replayChecksTheStreamIdAndTheFileBeforeSendingAnything() {
        Outcome badId = argus("replay", clip.toString(), "--stream", "bad id", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(badId.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(badId.line()).isEqualTo("argus replay: option --stream: 'bad id' is not a stream id "
                + "(1-128 of [A-Za-z0-9._:@/-]); the job would refuse every record");

        Outcome text = argus("replay", notMedia.toString(), "--stream", "cam", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(text.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(text.line()).isEqualTo("argus replay: FFmpeg cannot read " + notMedia
                + " as media: Invalid data found when processing input");

        Outcome missing = argus("replay", dir.resolve("nope.mkv").toString(), "--stream", "cam");
        assertThat(missing.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(missing.line()).isEqualTo("argus replay: no such file: " + dir.resolve("nope.mkv"));
    }

    @Test
    void audioTrainingNamesABadRecipeOrFoldBeforeTraining() throws IOException {
        Path data = Files.createDirectories(dir.resolve("audio-data"));
        Files.writeString(data.resolve("manifest.csv"), "split,label,package,source,path,seconds,fold\n");
        String out = dir.resolve("audio-out").toString();

        Outcome recipe = argus("train-audio", "--data", data.toString(), "--out", out, "--augmentation", "maybe");
        assertThat(recipe.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(recipe.line()).isEqualTo("argus train-audio: option --augmentation: give wide or basic, not maybe");

        Outcome word = argus("train-audio", "--data", data.toString(), "--out", out, "--test-fold", "two");
        assertThat(word.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(word.line()).isEqualTo("argus train-audio: option --test-fold: give a fold number or all, not two");

        Files.writeString(data.resolve("manifest.csv"), "split,label,package,source,path,seconds,fold\n"
                + "train,speech,voices,/usr/a.wav,a.s16,1.0,0\n");
        Outcome fold = argus("train-audio", "--data", data.toString(), "--out", out, "--test-fold", "3");
        assertThat(fold.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(fold.line()).isEqualTo("argus train-audio: test fold 3 is not one of the dataset's folds 0-0 ("
                + data.resolve("manifest.csv") + ")");
        assertThat(Path.of(out)).doesNotExist();
    }

    @Test
    void userErrorsOfTheToolsAreOneLine() {
        Outcome clipInMissingFolder = argus("generate-clip", dir.resolve("no/such/folder/clip.mkv").toString());
        assertThat(clipInMissingFolder.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(clipInMissingFolder.line()).isEqualTo("argus generate-clip: no such directory: "
                + dir.resolve("no/such/folder") + " (create it first)");

        Outcome notAKey = argus("models", "verify", "--package", dir.toString(), "--model-public-key",
                notMedia.toString());
        assertThat(notAKey.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(notAKey.line()).isEqualTo("argus models verify: option --model-public-key: " + notMedia
                + " holds no PEM block 'PUBLIC KEY'");

        Outcome noLabels = argus("evaluate", "--recordings", clip.toString(), "--labels",
                dir.resolve("labels.csv").toString());
        assertThat(noLabels.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(noLabels.line()).isEqualTo("argus evaluate: no such file or directory: " + dir.resolve("labels.csv"));

        Outcome device = argus("job", "--device", "gpu:one", "--action-model", "motion-energy", "--audio-model",
                "loudness");
        assertThat(device.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(device.line()).isEqualTo("argus job: option --device: cpu, gpu, gpu:N or auto, not 'gpu:one'");

        Outcome live = argus("job", "--live-events-topic", "argus.events", "--action-model", "motion-energy",
                "--audio-model", "loudness");
        assertThat(live.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(live.line()).isEqualTo("argus job: option --live-events-topic: 'argus.events' must name a topic "
                + "other than --events-topic (the exactly-once events)");
        Outcome rule = argus("job", "--incident-rules", "running+alarm within 2s; running and alarm",
                "--action-model", "motion-energy", "--audio-model", "loudness");
        assertThat(rule.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(rule.line()).isEqualTo("argus job: option --incident-rules: incident rule 'running and alarm' is "
                + "not LABEL+LABEL [within N(s|ms)], e.g. running+alarm within 2s");
        Outcome rulesFile = argus("job", "--incident-rules-file", dir.resolve("rules.txt").toString(),
                "--action-model", "motion-energy", "--audio-model", "loudness");
        assertThat(rulesFile.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(rulesFile.line()).startsWith("argus job: option --incident-rules-file: cannot read "
                + dir.resolve("rules.txt"));
        Outcome scores = argus("job", "--incident-label-min-score", "running=high", "--action-model", "motion-energy",
                "--audio-model", "loudness");
        assertThat(scores.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(scores.line()).isEqualTo("argus job: option --incident-label-min-score: label score 'running=high' "
                + "is not LABEL=SCORE with a score in [0, 1], e.g. running=0.7");

        assertThat(argus("nope").line()).isEqualTo("argus: unknown command 'nope' (argus --help lists them)");
    }

    @Test
    void theShadowCommandsRefuseBadInputWithOneLineBeforeTheyTouchKafkaOrTheRegistry() {
        Outcome notLive = argus("models", "compare", "--model", "audio-cnn");
        assertThat(notLive.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(notLive.line()).startsWith("argus models compare: say --live: the comparison reads what running "
                + "jobs wrote to the shadow topic");

        Outcome when = argus("models", "compare", "--live", "--model", "audio-cnn", "--from", "yesterday",
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(when.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(when.line()).isEqualTo("argus models compare: option --from: 'yesterday' is neither an ISO-8601 "
                + "instant (2026-12-05T10:00:00Z) nor a duration (30min, 2h)");

        Outcome share = argus("models", "promote", "--registry", dir.toString(), "--model", "audio-cnn", "--version",
                "1.1.0", "--if-agreement", "95");
        assertThat(share.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(share.line()).startsWith("argus models promote: option --if-agreement: 95");

        Outcome noVersion = argus("models", "shadow", "--registry", dir.toString(), "--model", "audio-cnn");
        assertThat(noVersion.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(noVersion.line()).startsWith("argus models shadow: ").contains("--version");
    }

    @Test
    void anUnreachableBrokerEndsTheCommandWithinItsTimeout() throws IOException {
        String nobody = "127.0.0.1:" + closedPort();
        Outcome job = argus("job", "--bootstrap-servers", nobody, "--kafka-timeout", "1 s",
                "--action-model", "motion-energy", "--audio-model", "loudness");
        assertThat(job.code()).isEqualTo(CommandErrors.KAFKA_UNAVAILABLE);
        assertThat(job.line()).startsWith("argus job: no Kafka broker at " + nobody + " answered within 1 s; "
                + "check --bootstrap-servers");

        Outcome replay = argus("replay", clip.toString(), "--stream", "cam", "--bootstrap-servers", nobody,
                "--kafka-timeout", "1 s");
        assertThat(replay.code()).isEqualTo(CommandErrors.KAFKA_UNAVAILABLE);
        assertThat(replay.line()).startsWith("argus replay: no Kafka broker at " + nobody + " answered within 1 s");

        Outcome unresolvable = argus("replay", clip.toString(), "--stream", "cam", "--bootstrap-servers",
                "no-such-host.invalid:9092");
        assertThat(unresolvable.code()).isEqualTo(CommandErrors.KAFKA_UNAVAILABLE);
        assertThat(unresolvable.line()).isEqualTo("argus replay: cannot use Kafka at no-such-host.invalid:9092: "
                + "No resolvable bootstrap urls given in bootstrap.servers; check --bootstrap-servers "
                + "(host:port[,host:port...])");
    }

    @Test
    void missingTopicsAreNamedWithTheirOptions() throws IOException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, "argus.video", "argus.events");
            Outcome job = argus("job", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--action-model", "motion-energy", "--audio-model", "loudness");
            assertThat(job.code()).isEqualTo(CommandErrors.KAFKA_UNAVAILABLE);
            assertThat(job.line()).isEqualTo("argus job: topics argus.audio (--audio-topic), argus.incidents "
                    + "(--incidents-topic), argus.dead-letters (--dead-letter-topic), argus.status (--status-topic) do not exist on Kafka at " + kafka.bootstrapServers() + "; create them "
                    + "(kafka-topics.sh --bootstrap-server " + kafka.bootstrapServers() + " --create --topic NAME, "
                    + "for each) or name existing ones");

            Outcome replay = argus("replay", clip.toString(), "--stream", "cam", "--bootstrap-servers",
                    kafka.bootstrapServers(), "--audio-topic", "mics");
            assertThat(replay.code()).isEqualTo(CommandErrors.KAFKA_UNAVAILABLE);
            assertThat(replay.line()).isEqualTo("argus replay: topic mics (--audio-topic) does not exist on Kafka at "
                    + kafka.bootstrapServers() + "; create it (kafka-topics.sh --bootstrap-server "
                    + kafka.bootstrapServers() + " --create --topic mics) or name an existing one");
        }
    }

    /** The same through the process's own entry point: the exit code reaches the shell. */
    @Test
    void theProcessExitsWithTheCodeAndPrintsOneLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", ArgusCli.class.getName(),
                "replay", clip.toString(), "--stream", "bad id")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(CommandErrors.USAGE);
        assertThat(err.lines()).containsExactly("argus replay: option --stream: 'bad id' is not a stream id "
                + "(1-128 of [A-Za-z0-9._:@/-]); the job would refuse every record");
    }

    @Test
    void ingestRefusesABadSourceWithOneLineBeforeItConnects() throws IOException {
        Outcome scheme = argus("ingest", "--source", "ftp://cam-1/live", "--stream", "cam-1");
        assertThat(scheme.code()).isEqualTo(CommandErrors.USAGE);
        assertThat(scheme.line()).startsWith("argus ingest: source 'ftp://cam-1/live' of stream cam-1: scheme ftp:// "
                + "is not read (rtsp://, rtsps://, http://");
        assertThat(argus("ingest", "--source", "udp://239.0.0.1", "--stream", "cam-1").line())
                .isEqualTo("argus ingest: source 'udp://239.0.0.1' of stream cam-1 names no port (udp://HOST:PORT)");
        assertThat(argus("ingest", "--source", "rtsp://cam-1/live").line())
                .isEqualTo("argus ingest: option --source needs --stream ID");
        assertThat(argus("ingest").line()).isEqualTo("argus ingest: no source: give --source URL --stream ID or "
                + "--sources-file FILE (see --help)");
        assertThat(argus("ingest", "--sources-file", dir.resolve("cameras.txt").toString()).line())
                .isEqualTo("argus ingest: option --sources-file: no such file: " + dir.resolve("cameras.txt"));
        Path twice = Files.writeString(dir.resolve("twice.txt"), "# two sources, one stream\n"
                + "cam-1 rtsp://10.0.0.7/a\ncam-1 rtsp://10.0.0.8/b\n");
        assertThat(argus("ingest", "--sources-file", twice.toString()).line())
                .isEqualTo("argus ingest: stream cam-1 is given more than one source");
        assertThat(argus("ingest", "--source", "rtsp://cam-1/live", "--stream", "cam-1", "--read-timeout", "10 ms")
                .line()).isEqualTo("argus ingest: option --read-timeout: 10 ms is out of range (100 ms to 10 min)");
        Outcome noKafka = argus("ingest", "--source", "rtsp://cam-1/live", "--stream", "cam-1",
                "--bootstrap-servers", "127.0.0.1:" + closedPort(), "--kafka-timeout", "1 s");
        assertThat(noKafka.code()).isEqualTo(CommandErrors.KAFKA_UNAVAILABLE);
    }

    @Test
    void ingestPublishesARecordingAsACameraWouldSendItAndStopsAtItsEnd() throws IOException {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, "argus.video", "argus.audio", "argus.status");
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            Outcome ingest = argus("ingest", "--source", clip.toString(), "--stream", "cam-f",
                    "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(ingest.code()).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .matches("(?s)argus ingest: cam-f: 2 video segments, \\d+ audio chunks, 0 dropped, 1 connections, 0 stalls\\R");
    }

    /** Every command's --help, which also checks that each numeric option has a range and its default lies in it. */
    @Test
    void everyCommandsHelpShowsTheRangesOfItsNumbers() {
        List<String> commands = new ArrayList<>(List.of("demo", "job", "replay", "ingest", "generate-clip", "train-action",
                "train-audio", "finetune", "export-audio-clips", "evaluate-audio", "evaluate", "benchmark"));
        PrintStream stdout = System.out;
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(help, true, StandardCharsets.UTF_8));
            for (String command : commands) {
                assertThat(argus(command, "--help").code()).as(command).isZero();
            }
            for (String sub : List.of("promote", "shadow", "compare")) {
                assertThat(argus("models", sub, "--help").code()).as("models " + sub).isZero();
            }
        } finally {
            System.setOut(stdout);
        }
        assertThat(help.toString(StandardCharsets.UTF_8))
                .contains("--parallelism <int>", "(default: -1; accepts at least 1 or -1)")
                .contains("(default: 15 s; accepts 100 ms to 10 min or 0 ms)")
                .contains("(default: 127.0.0.1)")
                .contains("--if-agreement <number>", "--shadow-max-lag <duration>", "--shadow-topic <string>");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again when this returns: nothing listens there
        }
    }
}
