package io.argus.models.action;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;

/**
 * The trainable part of the transfer-learning action classifier: a dense projection of each
 * frame's backbone features (the block-10 feature map, flattened, so where the person is in the
 * frame survives), an LSTM over the projected frames, dropout, and a linear head on its last step.
 * Input: {@code (B, T, F)} features; output: {@code (B, classes)} logits.
 */
public final class TransferActionNetwork {

    /** Architecture id recorded in model packages built from this network. */
    public static final String ARCHITECTURE = "mobilenetv2-block10-lstm-v1";
    static final int STATE = 64;
    static final int PROJECTION = 128;

    private TransferActionNetwork() {}

    public static Block head(int classes, int frames) {
        return new SequentialBlock()
                .add(new LambdaBlock(x -> {
                    NDArray f = x.singletonOrThrow();
                    return new NDList(f.reshape(-1, f.getShape().get(f.getShape().dimension() - 1)));
                }, "time-distribute"))
                .add(Linear.builder().setUnits(PROJECTION).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.3f).build())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, frames, PROJECTION)), "regroup"))
                .add(LSTM.builder().setStateSize(STATE).setNumLayers(1).optBatchFirst(true).optReturnState(false)
                        .build())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :")), "last-step"))
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(classes).build());
    }
}
