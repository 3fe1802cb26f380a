package io.argus.models.audio;

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
import io.argus.models.input.SpectrogramSpec;

/**
 * The audio event classifier: a small CNN over a log-mel spectrogram. Four 3x3 convolution blocks
 * (batch-norm, ReLU, 2x2 max-pooling after the first three), global average pooling over time
 * and frequency so that no single position decides, dropout and a linear head. Input: float
 * {@code (B, frames, mels)} in dB; output: {@code (B, classes)} logits.
 */
public final class AudioNetwork {

    /** Architecture id recorded in model packages built from this network. */
    public static final String ARCHITECTURE = "logmel-cnn-small-v1";

    /** Convolution blocks (convolution, batch norm, ReLU, pooling), the units fine-tuning freezes. */
    public static final int CONV_BLOCKS = 4;

    /** Children of the network that build one convolution block, after the dB-to-image layer. */
    private static final int LAYERS_PER_BLOCK = 4;

    private AudioNetwork() {}

    public static Block build(SpectrogramSpec spec, int classes) {
        float offset = (float) (spec.floorDb() / 2);
        float scale = (float) (-spec.floorDb() / 4);
        return new SequentialBlock()
                .add(new LambdaBlock(x -> new NDList(image(x.singletonOrThrow(), offset, scale)), "db-to-image"))
                .add(conv(16)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(32)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(64)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(64)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(classes).build());
    }

    /** How many leading children of {@link #build}'s network the first {@code blocks} convolution blocks are. */
    public static int layersThroughBlock(int blocks) {
        if (blocks < 0 || blocks > CONV_BLOCKS) {
            throw new IllegalArgumentException("the audio network has " + CONV_BLOCKS + " conv blocks, not " + blocks);
        }
        return blocks == 0 ? 0 : 1 + LAYERS_PER_BLOCK * blocks;
    }

    /** dB values {@code (B, T, M)} to a one-channel image {@code (B, 1, T, M)} around zero. */
    private static NDArray image(NDArray db, float offset, float scale) {
        return db.sub(offset).div(scale).expandDims(1);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }
}
