package io.argus.operators.window;

import io.argus.models.input.FrameWindow;
import io.argus.operators.decode.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One stream's frame-rate conversion and sliding windows, without Flink: frames (in capture-time
 * order) go in, windows come out. Frames between the target rate's slots are dropped; a slot no
 * frame lands on repeats the latest frame (sparse or variable-rate sources); a gap longer than the
 * spec's {@code maxGapMs} starts over. {@link FrameWindowFunction} keeps its state in Flink state
 * and checkpoints it; the benchmark uses it directly.
 */
public final class FrameWindower {

    private final WindowSpec spec;
    private List<VideoFrame> window;
    private Long nextDue;
    private VideoFrame lastSeen;

    public FrameWindower(WindowSpec spec) {
        this(spec, new ArrayList<>(), null, null);
    }

    /** Resumes from saved state: the window so far, the next slot's time, the latest frame. */
    FrameWindower(WindowSpec spec, List<VideoFrame> window, Long nextDue, VideoFrame lastSeen) {
        this.spec = spec;
        this.window = window;
        this.nextDue = nextDue;
        this.lastSeen = lastSeen;
    }

    /** Takes the stream's next frame; hands every window it completes to {@code out}. */
    public void add(VideoFrame frame, Consumer<FrameWindow> out) {
        long period = spec.framePeriodMs();
        if (lastSeen != null && frame.timestampMs - lastSeen.timestampMs > spec.maxGapMs()) {
            window.clear();
            nextDue = null;
        }
        VideoFrame previous = lastSeen;
        lastSeen = frame;
        long due = nextDue == null ? frame.timestampMs : nextDue;
        // each slot takes the frame that lands within a quarter period before it or less than
        // three quarters after it, or else repeats the latest frame before it
        while (frame.timestampMs >= due + period - period / 4) {
            slot(previous.at(due), period, out);
            due += period;
        }
        if (frame.timestampMs >= due - period / 4) {
            slot(frame, period, out);
            due += period;
        }
        nextDue = due;
    }

    List<VideoFrame> window() {
        return window;
    }

    Long nextDue() {
        return nextDue;
    }

    VideoFrame lastSeen() {
        return lastSeen;
    }

    private void slot(VideoFrame frame, long period, Consumer<FrameWindow> out) {
        window.add(frame);
        if (window.size() == spec.frames()) {
            out.accept(toWindow(window, period));
            window = new ArrayList<>(window.subList(spec.stride(), window.size()));
        }
    }

    private static FrameWindow toWindow(List<VideoFrame> frames, long period) {
        VideoFrame first = frames.get(0);
        int frameSize = first.pixels.length;
        byte[] pixels = new byte[frameSize * frames.size()];
        long[] times = new long[frames.size()];
        long decodedAt = 0;
        for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            System.arraycopy(f.pixels, 0, pixels, i * frameSize, frameSize);
            times[i] = f.timestampMs;
            decodedAt = Math.max(decodedAt, f.decodedAtMs);
        }
        long end = times[times.length - 1] + period;
        return new FrameWindow(first.streamId, times[0], end, first.height, first.width, first.channels, times,
                pixels, decodedAt);
    }
}
