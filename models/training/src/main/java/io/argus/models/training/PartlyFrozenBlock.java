package io.argus.models.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Set;

/**
 * A network with some layers frozen: it walks the network's sequential blocks itself so that
 * frozen layers run in inference mode (batch normalisation uses its running statistics and leaves
 * them alone, dropout is off) while the rest trains.
 */
final class PartlyFrozenBlock extends AbstractBlock {

    private final SequentialBlock net;
    private final Set<Block> frozen;

    PartlyFrozenBlock(SequentialBlock net, Set<Block> frozen) {
        this.net = addChildBlock("net", net);
        this.frozen = frozen;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return forward(net, ps, inputs, training, params);
    }

    private NDList forward(Block block, ParameterStore ps, NDList x, boolean training,
            PairList<String, Object> params) {
        if (frozen.contains(block)) {
            return block.forward(ps, x, false, params);
        }
        if (training && block instanceof SequentialBlock seq && !frozen.isEmpty()) {
            NDList current = x;
            for (Block child : seq.getChildren().values()) {
                current = forward(child, ps, current, true, params);
            }
            return current;
        }
        return block.forward(ps, x, training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        net.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return net.getOutputShapes(inputShapes);
    }
}
