package io.argus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.action.Action;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated clip carries each recorded sound the kit bundles, and its video, as FFmpeg reads them back. */
class SyntheticClipTest {

    @Test
    void everyRecordedSoundIsBundledAndHeardInTheClip(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("sounds.mkv");
        List<SyntheticClip.Phase> script = new ArrayList<>();
        for (SyntheticClip.Sound sound : SyntheticClip.Sound.values()) {
            script.add(new SyntheticClip.Phase(1000, Action.IDLE, sound));
        }
        SyntheticClip.standard(3).write(clip, script);

        int images = 0;
        int rate;
        List<Double> pcm = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile())) {
            grabber.start();
            rate = grabber.getSampleRate();
            for (Frame f; (f = grabber.grab()) != null; ) {
                images += f.image != null ? 1 : 0;
                if (f.samples != null) {
                    ShortBuffer samples = (ShortBuffer) f.samples[0];
                    while (samples.hasRemaining()) {
                        pcm.add(samples.get() / 32768.0);
                    }
                }
            }
        }
        assertThat(images).as("video frames").isGreaterThan(0);
        // the level of the middle half of each one-second phase, away from the edges between sounds
        assertThat(pcm.size()).isGreaterThan((SyntheticClip.Sound.values().length - 1) * rate + 3 * rate / 4);
        for (SyntheticClip.Sound s : SyntheticClip.Sound.values()) {
            double sum = 0;
            int from = s.ordinal() * rate + rate / 4;
            for (int i = from; i < from + rate / 2; i++) {
                sum += pcm.get(i) * pcm.get(i);
            }
            double rms = Math.sqrt(sum / (rate / 2.0));
            if (s == SyntheticClip.Sound.SILENCE) {
                assertThat(rms).as(s.name()).isLessThan(1e-4);
            } else if (s.recorded()) {
                assertThat(rms).as(s.name() + " (a bundled recording)").isGreaterThan(1e-3);
            }
        }
    }
}
