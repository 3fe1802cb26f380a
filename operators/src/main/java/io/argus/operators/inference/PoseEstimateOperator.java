package io.argus.operators.inference;

import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseFrame;
import io.argus.models.pose.Poses;
import io.argus.operators.decode.VideoFrame;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the pose model on frames in batches across streams (the TimeDistributed CNN of the pose
 * action model: the same network on every frame) and emits the people of each frame, in the
 * picture's coordinates, keeping those scored at least {@code minPersonScore}.
 *
 * <p>With {@link #warmUp}, {@code open()} runs the model once on a blank frame of the job's pose
 * input before the task takes its first frame: PyTorch's first call on a module costs several
 * times a later one, and would otherwise fall on the first frames of the job (gauge
 * {@code warmUpMillis}).
 */
public final class PoseEstimateOperator extends BatchingOperator<VideoFrame, PoseFrame> {

    private static final long serialVersionUID = 1L;

    /** Makes the pose model on the task manager. */
    @FunctionalInterface
    public interface Factory extends Serializable {
        PoseEstimator create() throws Exception;
    }

    private final Factory factory;
    private final float minPersonScore;
    private transient PoseEstimator estimator;
    private transient Counter frames;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMicros;
    private int warmUpWidth;
    private int warmUpHeight;
    private transient volatile long warmUpMillis = -1;

    public PoseEstimateOperator(Factory factory, float minPersonScore, int maxBatch, long maxWaitMs) {
        super(maxBatch, maxWaitMs);
        this.factory = factory;
        this.minPersonScore = minPersonScore;
    }

    @Override
    public void open() throws Exception {
        super.open();
        frames = getMetricGroup().counter("framesEstimated");
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMicros = getMetricGroup().histogram("inferenceMicros", new DescriptiveStatisticsHistogram(1000));
        estimator = factory.create();
        if (warmUpWidth > 0) {
            long t0 = System.nanoTime();
            estimator.estimate(new byte[warmUpWidth * warmUpHeight * 3], 1, warmUpHeight, warmUpWidth);
            warmUpMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        getMetricGroup().gauge("warmUpMillis", () -> warmUpMillis);
    }

    /**
     * Runs the model once on a blank {@code width x height} RGB frame (the frames the decoder
     * letterboxes to) when the operator opens, before its first frame.
     */
    public PoseEstimateOperator warmUp(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("warm-up frame must have a size: " + width + "x" + height);
        }
        this.warmUpWidth = width;
        this.warmUpHeight = height;
        return this;
    }

    /** How long the warm-up in {@code open()} took, or -1 if there was none. */
    long warmUpMillis() {
        return warmUpMillis;
    }

    @Override
    protected void process(List<StreamRecord<VideoFrame>> batch) {
        VideoFrame first = batch.get(0).getValue();
        int frameBytes = first.pixels.length;
        byte[] pixels = new byte[batch.size() * frameBytes];
        for (int i = 0; i < batch.size(); i++) {
            VideoFrame f = batch.get(i).getValue();
            if (f.width != first.width || f.height != first.height || f.channels != 3) {
                throw new IllegalStateException("pose frames must all be " + first.width + "x" + first.height
                        + " RGB; got " + f.width + "x" + f.height + "x" + f.channels + " from " + f.streamId);
            }
            System.arraycopy(f.pixels, 0, pixels, i * frameBytes, frameBytes);
        }
        long t0 = System.nanoTime();
        float[][] people = estimator.estimate(pixels, batch.size(), first.height, first.width);
        inferenceMicros.update((System.nanoTime() - t0) / 1000);
        batchSizes.update(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            VideoFrame f = batch.get(i).getValue();
            float[] found = Poses.atLeast(people[i], minPersonScore);
            PoseEstimator.unletterbox(found, f.width, f.height, f.contentWidth, f.contentHeight);
            output.collect(derived(batch.get(i), new PoseFrame(f.streamId, f.timestampMs, f.aspect, found,
                    f.decodedAtMs)));
        }
        frames.inc(batch.size());
    }

    @Override
    public void close() throws Exception {
        try {
            if (estimator != null) {
                estimator.close();
            }
        } finally {
            super.close();
        }
    }
}
