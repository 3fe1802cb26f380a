package io.argus.models.action;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import io.argus.models.input.InputSpec;

/**
 * The TimeDistributed CNN-LSTM action classifier: one small CNN applied to every frame of a
 * window with shared weights, an LSTM over the per-frame features, and a linear head on its last
 * step. Input: float {@code (B, T, C, H, W)} in [0, 1]; output: {@code (B, classes)} logits.
 */
public final class ActionNetwork {

    /** Architecture id recorded in model packages built from this network. */
    public static final String ARCHITECTURE = "cnn-lstm-small-v1";
    static final int FEATURES = 64;
    static final int STATE = 64;

    private ActionNetwork() {}

    public static Block build(InputSpec spec, int classes) {
        int t = spec.frames();
        return new SequentialBlock()
                .add(new LambdaBlock(x -> new NDList(frames(x.singletonOrThrow(), spec)), "time-distribute"))
                .add(frameCnn())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, t, FEATURES)), "regroup"))
                .add(LSTM.builder().setStateSize(STATE).setNumLayers(1).optBatchFirst(true).optReturnState(false)
                        .build())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :")), "last-step"))
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(classes).build());
    }

    /** The per-frame feature extractor: frames (N, C, H, W) to features (N, 64). */
    static SequentialBlock frameCnn() {
        return new SequentialBlock()
                .add(conv(16, 2)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(32, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(32, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(32, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(FEATURES).build())
                .add(Activation.reluBlock());
    }

    private static Conv2d conv(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).setFilters(filters).build();
    }

    private static NDArray frames(NDArray window, InputSpec spec) {
        return window.reshape(-1, spec.channels(), spec.height(), spec.width());
    }
}
