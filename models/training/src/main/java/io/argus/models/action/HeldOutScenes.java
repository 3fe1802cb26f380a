package io.argus.models.action;

import io.argus.models.admission.GoldenSets;
import io.argus.models.input.FrameWindow;
import io.argus.models.input.InputSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenes the action models never train on: the {@link Backdrop#TILES} family, which training
 * leaves out, rendered from a seed training does not use. The accuracy test scores the bundled
 * model on them, and golden sets are chosen from them.
 */
public final class HeldOutScenes {

    /** The seed of the held-out scenes the bundled model is scored and checked on. */
    public static final long SEED = 90_210;
    /** Candidates per label a golden set is chosen from. */
    public static final int GOLDEN_CANDIDATES_PER_LABEL = 20;

    private HeldOutScenes() {}

    /** {@code perLabel} held-out windows of every action, as the model's input, with their labels. */
    public static List<GoldenSets.Candidate<FrameWindow>> candidates(InputSpec spec, int perLabel, long seed) {
        ActionDataset data = ActionDataset.render(spec, perLabel, List.of(Backdrop.TILES), seed);
        List<GoldenSets.Candidate<FrameWindow>> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            long[] times = new long[spec.frames()];
            for (int t = 0; t < times.length; t++) {
                times[t] = Math.round(t * 1000 / spec.fps());
            }
            FrameWindow w = new FrameWindow("held-out-" + i, 0, Math.round(spec.frames() * 1000 / spec.fps()),
                    spec.height(), spec.width(), spec.channels(), times, data.window(i), 0);
            out.add(new GoldenSets.Candidate<>(w, Action.labels().get(data.label(i))));
        }
        return out;
    }

    /** What a golden set chosen from these scenes records as its source. */
    public static java.util.Map<String, Object> goldenSource(long seed) {
        java.util.Map<String, Object> source = new java.util.LinkedHashMap<>();
        source.put("data", "rendered scenes on the held-out TILES backdrops (io.argus.models.action.HeldOutScenes), "
                + GOLDEN_CANDIDATES_PER_LABEL + " per label, scene seed " + seed);
        source.put("command", "bin/argus models golden --package <dir> --data " + RENDERED);
        return source;
    }

    /** The {@code --data} value of {@code argus models golden} that names these scenes. */
    public static final String RENDERED = "rendered:held-out";
}
