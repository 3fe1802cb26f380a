package io.argus.testkit;

import io.argus.connectors.media.FFmpegLogging;
import io.argus.models.action.Action;
import io.argus.models.action.ActionRenderer;
import io.argus.models.action.Backdrop;
import io.argus.models.action.Figure;
import io.argus.models.pose.PersonRenderer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Generates a recording whose content is known in advance: a textured static scene in which a
 * figure performs a scripted sequence of actions (a stick figure drawn by the pixel action model's
 * renderer, or a person with a body and clothes that a pose model finds, {@link #withPeople}), with
 * a sound track that is generated (silent, quiet noise, a loud chord) or recorded (speech, music,
 * an alarm, noise: seconds of the audio model's held-out recordings, shipped as resources). The
 * demo replays it; tests replay it and compare the job's events with the script.
 *
 * <p>Written as Matroska with H.264 video and 16-bit PCM audio, through JavaCV/FFmpeg.
 */
public final class SyntheticClip {

    /**
     * The sound track during a phase: generated (digital silence, low noise, a loud chord) or one
     * of four short recordings from Debian packages the audio model never trained on (see
     * docs/audio-data.md), repeated to fill the phase.
     */
    public enum Sound {
        SILENCE, QUIET, LOUD, SPEECH, MUSIC, ALARM, NOISE;

        boolean recorded() {
            return ordinal() >= SPEECH.ordinal();
        }

        String resource() {
            return "sounds/" + name().toLowerCase(java.util.Locale.ROOT) + ".opus";
        }
    }

    /** A stretch of the clip: how long it lasts, what the figure does, what is heard. */
    public record Phase(long durationMs, Action action, Sound sound) {

        /** Whether the figure moves across the scene (the motion-energy signal's notion of motion). */
        public boolean motion() {
            return action == Action.WALKING || action == Action.RUNNING;
        }
    }

    /** Still and silent, then walking with a loud chord, then still with quiet noise; 4 s each. */
    public static final List<Phase> MOTION_SCRIPT = List.of(
            new Phase(4000, Action.IDLE, Sound.SILENCE),
            new Phase(4000, Action.WALKING, Sound.LOUD),
            new Phase(4000, Action.IDLE, Sound.QUIET));

    /** The demo's script: every action for 4 s, and every class of sound, changing with it. */
    public static final List<Phase> DEMO_SCRIPT = List.of(
            new Phase(4000, Action.IDLE, Sound.SILENCE),
            new Phase(4000, Action.WALKING, Sound.SPEECH),
            new Phase(4000, Action.WAVING, Sound.MUSIC),
            new Phase(4000, Action.RUNNING, Sound.ALARM),
            new Phase(4000, Action.JUMPING, Sound.NOISE));

    private final int width;
    private final int height;
    private final int fps;
    private final int sampleRate;
    private final long seed;
    /** The scene's background family; null for the clip's own coloured room. */
    private final Backdrop backdrop;
    /** Whether a person with a body is drawn rather than a stick figure. */
    private final boolean people;

    public SyntheticClip(int width, int height, int fps, int sampleRate, long seed) {
        this(width, height, fps, sampleRate, seed, null, false);
    }

    private SyntheticClip(int width, int height, int fps, int sampleRate, long seed, Backdrop backdrop,
            boolean people) {
        FFmpegLogging.apply();
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.sampleRate = sampleRate;
        this.seed = seed;
        this.backdrop = backdrop;
        this.people = people;
    }

    /** 320x240 at 25 fps, 16 kHz mono sound. */
    public static SyntheticClip standard(long seed) {
        return new SyntheticClip(320, 240, 25, 16000, seed);
    }

    /**
     * Like {@link #standard}, on a background of the given family, e.g. {@link Backdrop#TILES},
     * which the bundled action model never saw in training: footage to evaluate it on.
     */
    public static SyntheticClip on(Backdrop backdrop, long seed) {
        return new SyntheticClip(320, 240, 25, 16000, seed, backdrop, false);
    }

    /**
     * Like {@link #standard}, with a person who has a body, skin and clothes, seen by a camera at
     * head height ({@link PersonRenderer}): footage for the pose action model, whose pose model finds
     * people, not stick figures.
     */
    public static SyntheticClip withPeople(long seed) {
        return new SyntheticClip(320, 240, 25, 16000, seed, null, true);
    }

    /** Writes the clip for a script to a Matroska file. */
    public void write(Path file, List<Phase> script) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage background = background(random);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int samplesPerFrame = sampleRate / fps;
        short[] samples = new short[samplesPerFrame];
        Figure figure = Figure.random(script.get(0).action(), height, meanLuma(background), random);
        PersonRenderer person = people ? new PersonRenderer(script.get(0).action(), seed) : null;
        long phaseStart = 0;
        long sampleIndex = 0;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 1);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("matroska");
            recorder.setFrameRate(fps);
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setVideoBitrate(1_000_000);
            recorder.setGopSize(fps);
            recorder.setSampleRate(sampleRate);
            recorder.setAudioChannels(1);
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            recorder.start();
            for (Phase phase : script) {
                figure = figure.doing(phase.action(), random);
                if (person != null && phaseStart > 0) {
                    person.doing(phase.action(), (double) phaseStart / fps);
                }
                float[] recording = phase.sound().recorded() ? recording(phase.sound()) : null;
                long frames = phase.durationMs() * fps / 1000;
                for (long f = 0; f < frames; f++) {
                    if (person != null) {
                        draw(canvas, background, person, (double) (phaseStart + f) / fps);
                    } else {
                        draw(canvas, background, figure, (double) f / fps);
                    }
                    recorder.record(converter.convert(canvas));
                    if (recording != null) {
                        played(samples, recording, f * samplesPerFrame);
                        sampleIndex += samples.length;
                    } else {
                        sampleIndex = sound(samples, phase.sound(), sampleIndex, random);
                    }
                    recorder.recordSamples(sampleRate, 1, ShortBuffer.wrap(samples));
                }
                phaseStart += frames;
            }
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot write synthetic clip " + file + ": " + e.getMessage(), e);
        }
    }

    private BufferedImage background(SplittableRandom random) {
        BufferedImage bg = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bg.createGraphics();
        if (backdrop != null) {
            g.drawImage(backdrop.paint(width, height, random), 0, 0, null);
            g.dispose();
            return bg;
        }
        g.setPaint(new GradientPaint(0, 0, new Color(70, 90, 110), width, height, new Color(150, 140, 120)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 40; i++) {
            int v = 60 + random.nextInt(140);
            g.setColor(new Color(v, v - 20 + random.nextInt(40), v - 20 + random.nextInt(40)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 8 + random.nextInt(40), 8 + random.nextInt(40));
        }
        g.dispose();
        return bg;
    }

    private void draw(BufferedImage canvas, BufferedImage background, Figure figure, double seconds) {
        Graphics2D g = canvas.createGraphics();
        g.drawImage(background, 0, 0, null);
        ActionRenderer.draw(g, figure, seconds, width, height);
        g.dispose();
    }

    private void draw(BufferedImage canvas, BufferedImage background, PersonRenderer person, double seconds) {
        Graphics2D g = canvas.createGraphics();
        g.drawImage(background, 0, 0, null);
        person.draw(g, seconds, width, height);
        g.dispose();
    }

    private static int meanLuma(BufferedImage img) {
        long sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                sum += (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
            }
        }
        return (int) (sum / ((long) img.getWidth() * img.getHeight()));
    }

    /** The recorded sound from position {@code from} on, repeated when it runs out. */
    private static void played(short[] out, float[] recording, long from) {
        for (int i = 0; i < out.length; i++) {
            float v = recording[(int) ((from + i) % recording.length)];
            out[i] = (short) Math.round(Math.max(-1f, Math.min(1f, v)) * Short.MAX_VALUE);
        }
    }

    /** A recorded sound decoded by FFmpeg at the clip's sample rate, mono. */
    private float[] recording(Sound sound) throws IOException {
        try (InputStream in = SyntheticClip.class.getResourceAsStream(sound.resource())) {
            if (in == null) {
                throw new IOException("missing resource " + sound.resource());
            }
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in)) {
                g.setSampleRate(sampleRate);
                g.setAudioChannels(1);
                g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
                g.start();
                float[] out = new float[0];
                Frame f;
                while ((f = g.grabSamples()) != null) {
                    FloatBuffer b = (FloatBuffer) f.samples[0];
                    int size = out.length;
                    out = java.util.Arrays.copyOf(out, size + b.remaining());
                    b.get(out, size, b.remaining());
                }
                g.stop();
                return out;
            }
        }
    }

    private long sound(short[] out, Sound sound, long sampleIndex, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            double t = (double) (sampleIndex + i) / sampleRate;
            double v = switch (sound) {
                case SILENCE -> 0;
                case QUIET -> (random.nextDouble() * 2 - 1) * 0.03;
                case LOUD -> 0.25 * (Math.sin(2 * Math.PI * 440 * t)
                        + Math.sin(2 * Math.PI * 554.37 * t) + Math.sin(2 * Math.PI * 659.25 * t));
                default -> throw new IllegalArgumentException(sound + " is recorded, not generated");
            };
            out[i] = (short) Math.round(Math.max(-1, Math.min(1, v)) * Short.MAX_VALUE);
        }
        return sampleIndex + out.length;
    }
}
