package io.argus.models.pose;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The per-frame pose model (MoveNet MultiPose in TorchScript, see models/pretrained) run by DJL's
 * PyTorch engine: RGB frames in, up to six people per frame out ({@link Poses} layout, coordinates
 * normalised to the model's input). The frames of a batch go through in one call.
 */
public final class PoseEstimator implements AutoCloseable {

    /** People a frame can hold at most. */
    public static final int MAX_PEOPLE = 6;

    private final Model model;

    private PoseEstimator(Model model) {
        this.model = model;
    }

    /** The pose model of a pose action package. */
    public static PoseEstimator load(ModelPackage pkg, Device device) throws IOException {
        PoseActionClassifier.check(pkg);
        try {
            return load(pkg.file(PoseActionClassifier.POSE_MODEL), device);
        } catch (IOException e) {
            throw new InvalidModelPackageException(pkg.manifest().id(), PoseActionClassifier.POSE_MODEL + ": "
                    + e.getMessage());
        }
    }

    /** A pose model from its TorchScript. */
    public static PoseEstimator load(byte[] torchScript, Device device) throws IOException {
        DjlRuntime.pytorch();
        Model model = Model.newInstance("pose", device, DjlRuntime.ENGINE);
        try {
            model.load(new ByteArrayInputStream(torchScript), Map.of());
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("not a TorchScript pose model: " + e.getMessage(), e);
        }
        return new PoseEstimator(model);
    }

    /**
     * The people in each of {@code count} frames of {@code height x width} RGB bytes, concatenated in
     * {@code pixels}: per frame {@value #MAX_PEOPLE} x {@value Poses#STRIDE} floats, best first as the
     * model ranks them (people not there have low scores).
     */
    public float[][] estimate(byte[] pixels, int count, int height, int width) {
        if (pixels.length != count * height * width * 3) {
            throw new IllegalArgumentException(pixels.length + " bytes for " + count + " frames of " + width + "x"
                    + height + " RGB");
        }
        // PyTorch's profiling graph executor, which DJL turns on, made batches here three times slower
        // per frame than single frames (208 against 64 ms of CPU at 384x288); without it both take about
        // 58 ms (docs/benchmarks.md). The setting is the calling thread's, so it is made on every call.
        JniUtils.setGraphExecutorOptimize(false);
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray x = scope.create(ByteBuffer.wrap(pixels), new Shape(count, height, width, 3), DataType.UINT8);
            NDArray out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false)
                    .singletonOrThrow();
            float[] all = out.toType(DataType.FLOAT32, false).toFloatArray();
            int per = MAX_PEOPLE * Poses.STRIDE;
            if (all.length != count * per) {
                throw new IllegalStateException("the pose model gave " + all.length + " values for " + count
                        + " frames, expected " + count + " x " + MAX_PEOPLE + " x " + Poses.STRIDE);
            }
            float[][] frames = new float[count][per];
            for (int i = 0; i < count; i++) {
                System.arraycopy(all, i * per, frames[i], 0, per);
            }
            return frames;
        }
    }

    /**
     * Maps people found in a letterboxed frame back to the picture: the picture is the top-left
     * {@code contentWidth x contentHeight} of a {@code width x height} frame.
     */
    public static void unletterbox(float[] people, int width, int height, int contentWidth, int contentHeight) {
        if (contentWidth == width && contentHeight == height) {
            return;
        }
        float sx = (float) width / contentWidth;
        float sy = (float) height / contentHeight;
        for (int p = 0; p < Poses.count(people); p++) {
            int o = p * Poses.STRIDE;
            for (int k = 0; k < Keypoint.COUNT; k++) {
                people[o + k * 3] *= sy;
                people[o + k * 3 + 1] *= sx;
            }
            people[o + Poses.BOX] *= sy;
            people[o + Poses.BOX + 1] *= sx;
            people[o + Poses.BOX + 2] *= sy;
            people[o + Poses.BOX + 3] *= sx;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
