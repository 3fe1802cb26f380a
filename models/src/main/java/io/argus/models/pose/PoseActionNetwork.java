package io.argus.models.pose;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;

/**
 * The keypoint LSTM: per slot a dense layer over the track's features ({@link TrackFeatures}),
 * applied with shared weights to every slot, an LSTM over the slots, and a linear head on its last
 * step. With the pose model before it (one CNN per frame, shared weights), this is the
 * TimeDistributed CNN-LSTM with a CNN that has seen real people. Input: float
 * {@code (B, T, TrackFeatures.WIDTH)}; output: {@code (B, classes)} logits.
 */
public final class PoseActionNetwork {

    /** Architecture id recorded in model packages built from this network. */
    public static final String ARCHITECTURE = "movenet-multipose-lstm-v1";
    static final int EMBEDDING = 64;
    static final int STATE = 64;

    private PoseActionNetwork() {}

    public static Block build(int slots, int classes) {
        return new SequentialBlock()
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, TrackFeatures.WIDTH)),
                        "time-distribute"))
                .add(Linear.builder().setUnits(EMBEDDING).build())
                .add(Activation.reluBlock())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, slots, EMBEDDING)), "regroup"))
                .add(LSTM.builder().setStateSize(STATE).setNumLayers(1).optBatchFirst(true).optReturnState(false)
                        .build())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :")), "last-step"))
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(classes).build());
    }
}
