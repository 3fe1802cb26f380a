package io.argus.models.action;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A frozen, pretrained image network in TorchScript that turns frames into feature vectors:
 * RGB float {@code (N, 3, H, W)} in [0, 1] to flat {@code (N, F)}. Its weights never train here; the
 * transfer-learning action model trains only what sits on top of it.
 */
public final class FrameBackbone implements AutoCloseable {

    /** The bundled backbone: MobileNetV2 up to block 10 with ImageNet weights (96 x H/16 x W/16 map). */
    public static final String MOBILENETV2_BLOCK10 = "mobilenetv2-block10";

    private final Model model;

    private FrameBackbone(Model model) {
        this.model = model;
    }

    public static FrameBackbone load(byte[] torchScript, Device device) throws IOException {
        DjlRuntime.pytorch();
        Model model = Model.newInstance("backbone", device, DjlRuntime.ENGINE);
        try {
            model.load(new ByteArrayInputStream(torchScript), Map.of());
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("not a TorchScript backbone: " + e.getMessage(), e);
        }
        return new FrameBackbone(model);
    }

    /** Features of a batch of frames, computed without gradients, flattened to {@code (N, F)}. */
    public NDArray features(NDArray frames) {
        NDArray out = model.getBlock().forward(new ParameterStore(frames.getManager(), false), new NDList(frames),
                false).singletonOrThrow();
        return out.reshape(out.getShape().get(0), -1);
    }

    @Override
    public void close() {
        model.close();
    }
}
