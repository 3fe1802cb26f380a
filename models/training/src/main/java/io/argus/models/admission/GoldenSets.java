package io.argus.models.admission;

import ai.djl.Device;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.GoldenSet;
import io.argus.models.packaging.ModelPackage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes a package's golden set from held-out inputs whose true labels are known: the package's
 * network decides every candidate, and up to {@code perLabel} of each label's candidates that it
 * decides right are chosen (at random, by seed) as the golden inputs, with their labels expected.
 * The set is evidence that a copy of the package decides as the original did, not a measure of
 * accuracy (that is the manifest's {@code metrics}); {@code minAgreement} leaves room for another
 * engine or device to round differently. Trainers, {@code argus finetune} and
 * {@code argus models golden} all make golden sets here.
 */
public final class GoldenSets {

    private static final int BATCH = 32;

    /** A held-out input and its true label. */
    public record Candidate<I extends ModelInput>(I input, String label) {}

    /**
     * How a golden set is chosen.
     *
     * @param perLabel most inputs per label
     * @param minAgreement the share a copy must still get right, recorded in the manifest
     * @param seed which of the right candidates are taken
     */
    public record Options(int perLabel, double minAgreement, long seed) {

        public Options {
            if (perLabel < 1 || !(minAgreement > 0 && minAgreement <= 1)) {
                throw new IllegalArgumentException("golden set: need at least 1 input per label and a minimum "
                        + "agreement in (0, 1]; got " + perLabel + " and " + minAgreement);
            }
        }

        /** Three inputs per label, 80% agreement required, seed 7. */
        public static Options defaults() {
            return new Options(3, 0.8, 7);
        }
    }

    private GoldenSets() {}

    /**
     * {@code pkg} with a golden set chosen from {@code candidates}, admitted before it is returned.
     *
     * @param source where the candidates come from (data, split, seed, command), recorded in the manifest
     * @throws IllegalArgumentException when the network decides none of the candidates right
     */
    public static <I extends ModelInput> ModelPackage add(ModelPackage pkg, ModelKind<I> kind,
            List<Candidate<I>> candidates, Options options, Map<String, Object> source) throws IOException {
        List<String> decided = decide(pkg, kind, candidates);
        List<String> labels = pkg.manifest().labels();
        Random random = new Random(options.seed());
        List<Integer> chosen = new ArrayList<>();
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        int right = 0;
        for (String label : labels) {
            List<Integer> correct = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (candidates.get(i).label().equals(label) && decided.get(i).equals(label)) {
                    correct.add(i);
                }
            }
            right += correct.size();
            Collections.shuffle(correct, random);
            List<Integer> taken = new ArrayList<>(correct.subList(0, Math.min(options.perLabel(), correct.size())));
            Collections.sort(taken);
            chosen.addAll(taken);
            perLabel.put(label, taken.size());
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("golden set for " + pkg.manifest().id() + ": the model decides none of "
                    + candidates.size() + " held-out inputs right, so there is nothing it can be checked against");
        }
        List<I> inputs = new ArrayList<>(chosen.size());
        List<String> expected = new ArrayList<>(chosen.size());
        for (int i : chosen) {
            inputs.add(candidates.get(i).input());
            expected.add(candidates.get(i).label());
        }
        Map<String, Object> recorded = new LinkedHashMap<>(source);
        recorded.put("candidates", candidates.size());
        recorded.put("candidatesRight", right);
        recorded.put("chosenPerLabel", perLabel);
        recorded.put("seed", options.seed());
        GoldenSet golden = new GoldenSet(GoldenSet.FILE, kind.golden().input(), expected, options.minAgreement(),
                recorded);
        ModelPackage withGolden = pkg.withGolden(golden, kind.golden().encode(inputs));
        ModelAdmission.check(withGolden);
        return withGolden;
    }

    /** The label the package's network gives each candidate. */
    private static <I extends ModelInput> List<String> decide(ModelPackage pkg, ModelKind<I> kind,
            List<Candidate<I>> candidates) throws IOException {
        List<String> decided = new ArrayList<>(candidates.size());
        try (Classifier<I> classifier = kind.load(pkg, Device.cpu())) {
            for (int from = 0; from < candidates.size(); from += BATCH) {
                List<I> batch = new ArrayList<>();
                for (Candidate<I> c : candidates.subList(from, Math.min(candidates.size(), from + BATCH))) {
                    batch.add(c.input());
                }
                for (Classification c : classifier.classify(batch)) {
                    decided.add(c.label());
                }
            }
        }
        return decided;
    }
}
