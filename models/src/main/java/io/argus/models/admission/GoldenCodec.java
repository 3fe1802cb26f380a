package io.argus.models.admission;

import io.argus.models.input.ModelInput;
import io.argus.models.packaging.NpyArray;
import java.io.Serializable;
import java.util.List;

/**
 * How one kind of model input is stored in a golden set: all inputs as one array whose first axis
 * is the input. A new kind of model input needs one codec (and a {@link ModelKind} naming it); the
 * admission check itself does not change. {@link FrameWindowCodec} and {@link SpectrogramCodec}
 * are the two there are.
 */
public interface GoldenCodec<I extends ModelInput> extends Serializable {

    /** The name the manifest's {@code golden.input} gives this kind of input. */
    String input();

    /** The inputs as one array, the first axis being the input. */
    NpyArray encode(List<I> inputs);

    /**
     * The inputs an array holds.
     *
     * @throws IllegalArgumentException when the array's type or rank is not this kind's
     */
    List<I> decode(NpyArray rows);
}
