package io.argus.models.pose;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One stream's people over time, without Flink: pose frames (in capture-time order) go in, pose
 * windows come out. Frames are put on a grid of {@code fps} slots per second (a frame between two
 * slots is dropped; a slot no frame lands on repeats the latest frame, for sparse or variable-rate
 * sources; a gap longer than {@code maxGapMs} starts over), the people of each slot are followed
 * by a {@link PersonTracker}, and every {@code stride} slots a window of the last {@code slots}
 * slots is emitted with each track seen in at least {@code minPresent} of them.
 *
 * <p>Its whole state fits in a byte array ({@link #toBytes()}), which Flink keeps per stream.
 */
public final class PoseWindower {

    /**
     * How windows are cut and people followed.
     *
     * @param minPersonScore people scored lower are ignored
     * @param minSimilarity least box/keypoint similarity for a person to continue a track
     * @param maxMissedMs a track not seen for longer ends
     */
    public record Spec(int slots, double fps, int stride, long maxGapMs, float minPersonScore, int minPresent,
            float minSimilarity, long maxMissedMs) implements Serializable {

        public Spec {
            if (slots < 2 || stride < 1 || stride > slots || !(fps > 0 && fps <= 60) || maxGapMs <= 0
                    || minPresent < 1 || minPresent > slots || !(minPersonScore >= 0 && minPersonScore < 1)) {
                throw new IllegalArgumentException("invalid pose window spec " + slots + " slots @ " + fps
                        + " fps, stride " + stride + ", min present " + minPresent + ", min person score "
                        + minPersonScore);
            }
        }

        public long periodMs() {
            return Math.round(1000 / fps);
        }

        /** Capture time of slot {@code index} of a run that started at {@code origin}: no rounding drift. */
        long slotTime(long origin, long index) {
            return origin + Math.round(index * 1000 / fps);
        }

        int maxMissedSlots() {
            return (int) Math.max(0, maxMissedMs / periodMs());
        }
    }

    private static final byte STATE_VERSION = 1;

    private final Spec spec;
    private final PersonTracker tracker;
    /** Capture time of the current run's first slot, and the index of the next slot; null before any. */
    private Long origin;
    private long nextIndex;
    private long lastSeenMs = Long.MIN_VALUE;
    private Slot last;
    private float aspect = 1;
    private List<Slot> window = new ArrayList<>();

    private record Slot(long timestampMs, int[] ids, float[] people, long decodedAtMs) {}

    public PoseWindower(Spec spec) {
        this.spec = spec;
        this.tracker = new PersonTracker(spec.minSimilarity(), spec.maxMissedSlots());
    }

    /** Resumes a stream from {@link #toBytes()}. */
    public static PoseWindower fromBytes(Spec spec, byte[] state) {
        PoseWindower w = new PoseWindower(spec);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            byte version = in.readByte();
            if (version != STATE_VERSION) {
                throw new IOException("unknown pose windower state version " + version);
            }
            w.origin = in.readBoolean() ? in.readLong() : null;
            w.nextIndex = in.readLong();
            w.lastSeenMs = in.readLong();
            w.aspect = in.readFloat();
            w.last = in.readBoolean() ? readSlot(in) : null;
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                w.window.add(readSlot(in));
            }
            w.tracker.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + window.size() * 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(STATE_VERSION);
            out.writeBoolean(origin != null);
            if (origin != null) {
                out.writeLong(origin);
            }
            out.writeLong(nextIndex);
            out.writeLong(lastSeenMs);
            out.writeFloat(aspect);
            out.writeBoolean(last != null);
            if (last != null) {
                writeSlot(out, last);
            }
            out.writeInt(window.size());
            for (Slot s : window) {
                writeSlot(out, s);
            }
            tracker.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Takes the stream's next frame; hands every window it completes to {@code out}. */
    public void add(PoseFrame frame, Consumer<PoseWindow> out) {
        long period = spec.periodMs();
        if (lastSeenMs != Long.MIN_VALUE && frame.timestampMs - lastSeenMs > spec.maxGapMs()) {
            window.clear();
            origin = null;
            last = null;
        }
        lastSeenMs = frame.timestampMs;
        aspect = frame.aspect > 0 ? frame.aspect : aspect;
        if (origin == null) {
            origin = frame.timestampMs;
            nextIndex = 0;
        }
        // each slot takes the frame that lands within a quarter period before it or less than
        // three quarters after it, or else repeats the latest slot
        while (last != null && frame.timestampMs >= spec.slotTime(origin, nextIndex + 1) - period / 4) {
            long due = spec.slotTime(origin, nextIndex++);
            slot(new Slot(due, last.ids(), last.people(), last.decodedAtMs()), frame.streamId, out);
        }
        long due = spec.slotTime(origin, nextIndex);
        if (frame.timestampMs >= due - period / 4) {
            float[] people = Poses.atLeast(frame.people, spec.minPersonScore());
            int[] ids = tracker.update(people, aspect);
            slot(new Slot(due, ids, people, frame.decodedAtMs), frame.streamId, out);
            nextIndex++;
        }
    }

    private void slot(Slot slot, String streamId, Consumer<PoseWindow> out) {
        last = slot;
        window.add(slot);
        if (window.size() == spec.slots()) {
            out.accept(toWindow(streamId));
            window = new ArrayList<>(window.subList(spec.stride(), window.size()));
        }
    }

    private PoseWindow toWindow(String streamId) {
        int slots = window.size();
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        long decodedAt = 0;
        for (Slot s : window) {
            for (int id : s.ids()) {
                seen.merge(id, 1, Integer::sum);
            }
            decodedAt = Math.max(decodedAt, s.decodedAtMs());
        }
        int[] ids = seen.entrySet().stream().filter(e -> e.getValue() >= spec.minPresent())
                .mapToInt(Map.Entry::getKey).toArray();
        float[] poses = new float[ids.length * slots * Poses.STRIDE];
        boolean[] present = new boolean[ids.length * slots];
        for (int t = 0; t < ids.length; t++) {
            for (int s = 0; s < slots; s++) {
                Slot slot = window.get(s);
                for (int p = 0; p < slot.ids().length; p++) {
                    if (slot.ids()[p] == ids[t]) {
                        System.arraycopy(slot.people(), p * Poses.STRIDE, poses, (t * slots + s) * Poses.STRIDE,
                                Poses.STRIDE);
                        present[t * slots + s] = true;
                    }
                }
            }
        }
        long start = window.get(0).timestampMs();
        long lastIndex = Math.round((window.get(slots - 1).timestampMs() - origin) * spec.fps() / 1000);
        long end = spec.slotTime(origin, lastIndex + 1);
        return new PoseWindow(streamId, start, end, slots, aspect, ids, poses, present, decodedAt);
    }

    private static void writeSlot(DataOutputStream out, Slot s) throws IOException {
        out.writeLong(s.timestampMs());
        out.writeLong(s.decodedAtMs());
        out.writeInt(s.ids().length);
        for (int id : s.ids()) {
            out.writeInt(id);
        }
        for (float v : s.people()) {
            out.writeFloat(v);
        }
    }

    private static Slot readSlot(DataInputStream in) throws IOException {
        long ts = in.readLong();
        long decodedAt = in.readLong();
        int n = in.readInt();
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = in.readInt();
        }
        float[] people = new float[n * Poses.STRIDE];
        for (int i = 0; i < people.length; i++) {
            people[i] = in.readFloat();
        }
        return new Slot(ts, ids, people, decodedAt);
    }
}
