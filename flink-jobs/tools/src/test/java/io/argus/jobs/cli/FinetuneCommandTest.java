package io.argus.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.argus.models.action.Action;
import io.argus.models.admission.ModelAdmission;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.inference.DjlActionClassifier;
import io.argus.models.inference.DjlAudioClassifier;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.Spectrogram;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.pose.PoseActionClassifier;
import io.argus.models.pose.PoseEstimator;
import io.argus.testkit.SyntheticClip.Phase;
import io.argus.testkit.SyntheticClip.Sound;
import io.argus.testkit.SyntheticClip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command end to end on folders of 2 labels x 2 short generated clips, video for the action
 * model and audio files for the audio model (a mechanism, not accuracy; AudioFineTuningTest in the
 * tests module measures accuracy).
 */
class FinetuneCommandTest {

    @Test
    void fineTunesTheBundledModelOnAFolderOfClipsAndWritesAPackageThatLoads(@TempDir Path root) throws Exception {
        Path data = root.resolve("clips");
        long seed = 1;
        for (String label : List.of("moving", "still")) {
            Files.createDirectories(data.resolve(label));
            for (int i = 0; i < 2; i++) {
                Action action = label.equals("moving") ? Action.WALKING : Action.WAVING;
                SyntheticClip.standard(seed++).write(data.resolve(label).resolve("clip-" + i + ".mkv"),
                        List.of(new Phase(3000, action, Sound.SILENCE)));
            }
        }
        Files.writeString(data.resolve("still").resolve("notes.txt"), "not a clip");
        Path out = root.resolve("model");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        FinetuneCommand.run(new String[] {"--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                "--batch-size", "2", "--version", "0.0.1-test"}, new PrintStream(said, true, StandardCharsets.UTF_8));

        String log = said.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("labels [moving, still]", "moving/clip-0.mkv", "epoch 1/2",
                "frozen: all but the head", "argus finetune: wrote action-finetuned@0.0.1-test");
        ModelPackage pkg = ModelPackage.read(out);
        ModelManifest m = pkg.manifest();
        assertThat(m.baseModel()).isEqualTo(ModelPackage.bundled("action-cnn-lstm").manifest().id());
        assertThat(m.labels()).containsExactly("moving", "still");
        assertThat(m.training()).containsEntry("frozen", "all but the head").containsKeys("trainSamples", "bestEpoch");
        assertThat(m.metrics()).containsKey("validation");
        List<FrameWindow> windows = FinetuneCommand.windows(data.resolve("moving").resolve("clip-0.mkv"), m.video(), 8);
        assertThat(windows).isNotEmpty();
        try (Classifier<FrameWindow> c = DjlActionClassifier.load(pkg, Device.cpu())) {
            List<Classification> results = c.classify(windows);
            assertThat(results).hasSize(windows.size());
            assertThat(results.get(0).labels()).containsExactlyInAnyOrder("moving", "still");
        }
    }

    @Test
    void fineTunesTheKeypointLstmOfThePoseModelAndKeepsItsPoseModel(@TempDir Path root) throws Exception {
        // people who cross the view against people who stay in place, 4 clips each to train on and 2 held out
        Path data = root.resolve("clips");
        Path heldOut = root.resolve("held-out");
        long seed = 100;
        for (String label : List.of("moving", "in-place")) {
            for (int i = 0; i < 6; i++) {
                Action action = label.equals("moving") ? (i % 2 == 0 ? Action.WALKING : Action.RUNNING)
                        : (i % 2 == 0 ? Action.WAVING : Action.JUMPING);
                Path dir = (i < 4 ? data : heldOut).resolve(label);
                Files.createDirectories(dir);
                SyntheticClip.withPeople(seed++).write(dir.resolve("clip-" + i + ".mkv"),
                        List.of(new Phase(6000, action, Sound.SILENCE)));
            }
        }
        Path out = root.resolve("model");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        FinetuneCommand.run(new String[] {"--base", "bundled:pose-action-lstm", "--data", data.toString(), "--out",
                out.toString(), "--epochs", "20", "--batch-size", "4", "--validation-fraction", "0.25"},
                new PrintStream(said, true, StandardCharsets.UTF_8));

        String log = said.toString(StandardCharsets.UTF_8);
        System.out.println(log);
        assertThat(log).contains("labels [in-place, moving]", "person tracks", "frozen: all but the head",
                "argus finetune: wrote pose-action-finetuned@1.0.0");
        ModelPackage pkg = ModelPackage.read(out);
        ModelPackage base = ModelPackage.bundled("pose-action-lstm");
        assertThat(pkg.manifest().baseModel()).isEqualTo(base.manifest().id());
        assertThat(pkg.manifest().labels()).containsExactly("in-place", "moving");
        assertThat(pkg.file(PoseActionClassifier.POSE_MODEL)).isEqualTo(base.file(PoseActionClassifier.POSE_MODEL));
        ModelAdmission.check(pkg); // the golden set and both networks, as a job would admit it

        long right = 0;
        long people = 0;
        try (PoseEstimator pose = PoseEstimator.load(pkg, Device.cpu());
                PoseActionClassifier classifier = PoseActionClassifier.load(pkg, Device.cpu())) {
            ClipPoses clips = new ClipPoses(pose, pkg.manifest().video(),
                    ClipPoses.windowsFor(pkg.manifest().video(), 0.2f));
            for (String label : List.of("moving", "in-place")) {
                for (Path clip : Files.list(heldOut.resolve(label)).toList()) {
                    for (Classification c : classifier.classify(clips.windows(clip))) {
                        for (var p : c.people()) {
                            people++;
                            right += p.classification().label().equals(label) ? 1 : 0;
                        }
                    }
                }
            }
        }
        System.out.println("pose model fine-tuned to moving / in-place: " + right + " of " + people
                + " held-out person windows right");
        assertThat(people).isGreaterThanOrEqualTo(16);
        assertThat((double) right / people).as("held-out person windows labelled right").isGreaterThanOrEqualTo(0.75);
    }

    @Test
    void refusesALabelWithOneClipAndABadFreeze(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        assertThatThrownBy(() -> FinetuneCommand.freeze("most", 18, "layers")).hasMessageStartingWith("option --freeze:");
        assertThatThrownBy(() -> FinetuneCommand.run(new String[] {"--data", root.toString(), "--out",
                root.resolve("o").toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .hasMessageContaining("label a has 0 usable clip(s) among 0 video files");
    }

    @Test
    void fineTunesTheBundledAudioModelOnAFolderOfAudioFilesAndWritesAPackageThatLoads(@TempDir Path root)
            throws Exception {
        Path data = root.resolve("sounds");
        writeAudio(data.resolve("hum").resolve("a.wav"), hum(2.0, 100));
        writeAudio(data.resolve("hum").resolve("b.flac"), hum(2.5, 120));
        writeAudio(data.resolve("siren").resolve("a.flac"), siren(2.0, 0.5));
        writeAudio(data.resolve("siren").resolve("b.wav"), siren(2.5, 0.7));
        writeAudio(data.resolve("siren").resolve("short.wav"), siren(0.4, 0.5));
        Files.write(data.resolve("siren").resolve("broken.mp3"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Files.writeString(data.resolve("hum").resolve("notes.txt"), "not a clip");
        Path out = root.resolve("model");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        FinetuneCommand.run(new String[] {"--base", "bundled:audio-cnn", "--data", data.toString(), "--out",
                out.toString(), "--freeze", "2", "--epochs", "2", "--batch-size", "2", "--version", "0.0.1-test"},
                new PrintStream(said, true, StandardCharsets.UTF_8));

        String log = said.toString(StandardCharsets.UTF_8);
        // 2 s gives windows at 0, 0.5 and 1 s; 2.5 s one more; 0.4 s none
        assertThat(log).contains("labels [hum, siren]", "hum/a.wav: 3 windows", "hum/b.flac: 4 windows",
                "siren/short.wav: left out, shorter than one window", "siren/broken.mp3: left out, cannot cut",
                "epoch 2/2", "frozen: the first 2 of 4 conv blocks", "argus finetune: wrote audio-finetuned@0.0.1-test");
        assertThat(log).doesNotContain("notes.txt");
        ModelPackage base = ModelPackage.bundled("audio-cnn");
        ModelPackage pkg = ModelPackage.read(out);
        ModelManifest m = pkg.manifest();
        assertThat(m.baseModel()).isEqualTo(base.manifest().id());
        assertThat(m.task()).isEqualTo(DjlAudioClassifier.TASK);
        assertThat(m.labels()).containsExactly("hum", "siren");
        assertThat(m.audio()).isEqualTo(base.manifest().audio());
        assertThat(m.training()).containsEntry("frozen", "the first 2 of 4 conv blocks").containsKeys("bestEpoch");
        // one whole file of each label (3 or 4 windows) validates, the other trains
        assertThat((int) m.training().get("trainSamples") + (int) m.training().get("validationSamples"))
                .isEqualTo(14);
        assertThat((int) m.training().get("validationSamples")).isBetween(6, 8);
        assertThat(m.metrics()).containsKey("validation");
        List<Spectrogram> windows = new AudioClipWindows(m.audio(), java.time.Duration.ofMillis(500))
                .of(data.resolve("siren").resolve("b.wav"));
        assertThat(windows).hasSize(4);
        try (Classifier<Spectrogram> c = DjlAudioClassifier.load(pkg, Device.cpu())) {
            List<Classification> results = c.classify(windows);
            assertThat(results).hasSize(windows.size());
            assertThat(results.get(0).labels()).containsExactlyInAnyOrder("hum", "siren");
        }
    }

    @Test
    void refusesVideoForAnAudioModelALabelWithoutDecodableFilesAndABadFreeze(@TempDir Path root) throws Exception {
        Path data = root.resolve("sounds");
        writeAudio(data.resolve("hum").resolve("a.wav"), hum(1.0, 100));
        writeAudio(data.resolve("hum").resolve("b.wav"), hum(1.0, 110));
        Files.createDirectories(data.resolve("siren"));
        Files.write(data.resolve("siren").resolve("broken.ogg"), new byte[] {1, 2, 3});
        Files.write(data.resolve("siren").resolve("empty.wav"), new byte[0]);
        assertThatThrownBy(() -> audio(data, "--epochs", "1"))
                .hasMessageContaining("label siren has 0 usable clip(s) among 2 audio files");
        assertThatThrownBy(() -> audio(data, "--freeze", "5"))
                .hasMessage("option --freeze: all or 0 to 4 (conv blocks of the audio model), not 5");
        Files.writeString(data.resolve("siren").resolve("clip.mp4"), "a video");
        assertThatThrownBy(() -> audio(data))
                .hasMessageStartingWith("option --data: siren/clip.mp4 is a video file; the base model audio-cnn@")
                .hasMessageContaining("is an audio model and takes audio files (.wav, .flac");
        Path one = root.resolve("one");
        writeAudio(one.resolve("hum").resolve("a.wav"), hum(1.0, 100));
        assertThatThrownBy(() -> audio(one)).hasMessageContaining("needs a subfolder per label, at least 2");
    }

    private static void audio(Path data, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--base", "bundled:audio-cnn", "--data", data.toString(),
                "--out", data.resolveSibling("out").toString()));
        args.addAll(List.of(more));
        FinetuneCommand.run(args.toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** An engine-like hum: a fundamental and its harmonics, slowly wavering. */
    private static float[] hum(double seconds, double hz) {
        float[] x = new float[(int) (seconds * RATE)];
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / RATE;
            double f = hz * (1 + 0.02 * Math.sin(2 * Math.PI * 0.5 * t));
            x[i] = (float) (0.2 * Math.sin(2 * Math.PI * f * t) + 0.1 * Math.sin(4 * Math.PI * f * t)
                    + 0.05 * Math.sin(6 * Math.PI * f * t));
        }
        return x;
    }

    /** A siren: a tone sweeping between 600 and 1,400 Hz every {@code period} seconds. */
    private static float[] siren(double seconds, double period) {
        float[] x = new float[(int) (seconds * RATE)];
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / RATE;
            double f = 1000 + 400 * Math.sin(2 * Math.PI * t / period);
            phase += 2 * Math.PI * f / RATE;
            x[i] = (float) (0.3 * Math.sin(phase));
        }
        return x;
    }

    private static final int RATE = 22_050;

    /** Writes mono samples at {@link #RATE} as WAV or FLAC (by the name), stereo, so that the job path resamples and downmixes. */
    private static void writeAudio(Path file, float[] samples) throws Exception {
        Files.createDirectories(file.getParent());
        boolean flac = file.toString().endsWith(".flac");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 2)) {
            r.setFormat(flac ? "flac" : "wav");
            r.setAudioCodec(flac ? avcodec.AV_CODEC_ID_FLAC : avcodec.AV_CODEC_ID_PCM_S16LE);
            r.setSampleRate(RATE);
            r.setAudioChannels(2);
            r.start();
            short[] stereo = new short[samples.length * 2];
            for (int i = 0; i < samples.length; i++) {
                stereo[2 * i] = stereo[2 * i + 1] = (short) Math.round(samples[i] * 32767);
            }
            r.recordSamples(RATE, 2, ShortBuffer.wrap(stereo));
            r.stop();
        }
    }
}
