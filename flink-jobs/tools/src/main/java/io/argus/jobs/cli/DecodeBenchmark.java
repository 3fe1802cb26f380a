package io.argus.jobs.cli;

import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.SegmentCutter;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.operators.decode.DecodeException;
import io.argus.operators.decode.DecodeLimits;
import io.argus.operators.decode.VideoDecoders;
import io.argus.operators.decode.VideoSegmentDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * {@code argus benchmark --path decode}: frames per CPU-second of decoding the clip's 1 s H.264
 * segments to 64x64 grey, by the ways Argus has decoded them and by the ffmpeg command line on the
 * same bytes, in one run. CPU time rather than wall time, so that other work on the machine counts
 * less; the ffmpeg figure is its own CPU time, start-up included, over all the segments at once.
 */
final class DecodeBenchmark {

    private static final int SIZE = 64;

    private final List<MediaRecord> records;
    private final int repeat;
    private final Figures figures;
    private final PrintStream out;

    private DecodeBenchmark(List<MediaRecord> records, int repeat, Figures figures, PrintStream out) {
        this.records = records;
        this.repeat = repeat;
        this.figures = figures;
        this.out = out;
    }

    /** Measures {@code streams} cameras' copies of the clip's segments, interleaved as a task sees them. */
    static void run(Path dir, Path clip, int streams, int repeat, Figures figures, PrintStream out) throws Exception {
        List<MediaRecord> segments = new ArrayList<>();
        new SegmentCutter(SegmentOptions.DEFAULT).cut(clip, "cam", BenchmarkCommand.BASE, segments::add, null);
        List<MediaRecord> records = new ArrayList<>();
        for (MediaRecord s : segments) {
            for (int c = 0; c < streams; c++) {
                records.add(MediaRecord.video("cam-" + c, s.codec, s.container, s.captureTimeMs, s.durationMs,
                        s.sequence, s.frameRate, s.payload));
            }
        }
        out.printf(Locale.ROOT, "decode: %d streams x %d segments of 320x240 H.264 in MPEG-TS, %d passes, to %dx%d "
                + "grey%n", streams, segments.size(), repeat, SIZE, SIZE);
        new DecodeBenchmark(records, repeat, figures, out).measure(dir);
    }

    private void measure(Path dir) throws Exception {
        double grabber = stage("grabberPerRecord", "a JavaCV grabber per record, FFmpeg's default threads",
                this::grabEach);
        double perRecord = stage("decoderPerRecord", "a decoder per record, one thread", this::decodeEach);
        double kept = stage("kept", "a decoder per stream kept across records, one thread", this::decodeKept);
        double cli = ffmpegCli(dir);
        figures.put("video.decode.keptOverFfmpegCli", kept / cli);
        figures.put("video.decode.keptOverGrabberPerRecord", kept / grabber);
        out.printf(Locale.ROOT, "ratios: kept / ffmpeg command line %.2f, kept / grabber per record %.2f, "
                + "decoder per record / grabber per record %.2f%n", kept / cli, kept / grabber, perRecord / grabber);
    }

    /** One pass over the records; returns the frames decoded. */
    private interface Pass {
        long run() throws Exception;
    }

    /** Frames per CPU-second of this process over {@code repeat} passes, after one pass of warm-up. */
    private double stage(String name, String what, Pass pass) throws Exception {
        pass.run();
        long cpu0 = Figures.processCpuNanos();
        long t0 = System.nanoTime();
        long frames = 0;
        for (int i = 0; i < repeat; i++) {
            frames += pass.run();
        }
        double perCpuSecond = frames / ((Figures.processCpuNanos() - cpu0) / 1e9);
        double perSecond = frames / ((System.nanoTime() - t0) / 1e9);
        figures.put("video.decode." + name + ".framesPerCpuSecond", perCpuSecond);
        figures.put("video.decode." + name + ".framesPerSecond", perSecond);
        out.printf(Locale.ROOT, "%-22s %8.0f frames/CPU-s %8.0f frames/s (%s)%n", name + ":", perCpuSecond, perSecond,
                what);
        return perCpuSecond;
    }

    private long grabEach() throws FrameGrabber.Exception {
        long frames = 0;
        for (MediaRecord r : records) {
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(r.payload))) {
                g.setFormat(r.container);
                g.setImageWidth(SIZE);
                g.setImageHeight(SIZE);
                g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
                g.start();
                while (g.grabImage() != null) {
                    frames++;
                }
                g.stop();
            }
        }
        return frames;
    }

    private long decodeEach() throws DecodeException {
        VideoSegmentDecoder decoder = new VideoSegmentDecoder(SIZE, SIZE, 1, false, DecodeLimits.DEFAULT);
        long frames = 0;
        for (MediaRecord r : records) {
            frames += decoder.decode(r).size();
        }
        return frames;
    }

    private long decodeKept() throws DecodeException {
        long frames = 0;
        try (VideoDecoders decoders = VideoDecoders.builder(SIZE, SIZE, 1).build()) {
            for (MediaRecord r : records) {
                frames += decoders.decode(r, f -> { });
            }
        }
        return frames;
    }

    /**
     * The ffmpeg command line, one thread, bilinear scaling as the decoders do, over all the passes'
     * segments written one after the other into one MPEG-TS file (a stream of self-contained segments
     * is itself a valid one), timed by its own CPU.
     */
    private double ffmpegCli(Path dir) throws Exception {
        Path ts = dir.resolve("segments.ts");
        try (OutputStream o = Files.newOutputStream(ts)) {
            for (int i = 0; i < repeat; i++) {
                for (MediaRecord r : records) {
                    o.write(r.payload);
                }
            }
        }
        long frames = 25L * records.size() * repeat;
        long cpu0 = Figures.childrenCpuNanos();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-threads", "1", "-f", "mpegts", "-i",
                ts.toString(), "-filter_threads", "1", "-vf", "scale=" + SIZE + ":" + SIZE + ":flags=bilinear",
                "-pix_fmt", "gray", "-f", "null", "-").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg exited with " + p.exitValue() + " (is the ffmpeg command installed?)");
        }
        double perCpuSecond = frames / ((Figures.childrenCpuNanos() - cpu0) / 1e9);
        double perSecond = frames / ((System.nanoTime() - t0) / 1e9);
        figures.put("video.decode.ffmpegCli.framesPerCpuSecond", perCpuSecond);
        figures.put("video.decode.ffmpegCli.framesPerSecond", perSecond);
        out.printf(Locale.ROOT, "%-22s %8.0f frames/CPU-s %8.0f frames/s (ffmpeg -threads 1, one process)%n",
                "ffmpegCli:", perCpuSecond, perSecond);
        return perCpuSecond;
    }
}
