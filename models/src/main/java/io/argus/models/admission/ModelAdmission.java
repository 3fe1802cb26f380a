package io.argus.models.admission;

import ai.djl.Device;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.GoldenSet;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.NpyArray;
import io.argus.models.packaging.Reasons;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one check a model package passes before it serves, whoever asks: {@code argus models verify},
 * {@code publish}, {@code promote} and {@code rollback}, the job when it is built, and every
 * inference operator when it starts or loads a new version. The package has already been read
 * (checksums, file types, trust and signature: {@link ModelPackage}); admission then
 *
 * <ol>
 *   <li>finds the {@link ModelKind} its task and architecture name;
 *   <li>loads the network (the weights must fit it, to the last byte);
 *   <li>runs it on the package's golden inputs ({@link GoldenSet}) and requires, for every input,
 *       one score per label, each finite and in [0, 1], summing to 1 (within {@value #SUM_TOLERANCE});
 *   <li>requires the best label to be the expected one for at least the manifest's
 *       {@code golden.minAgreement} share of the inputs.
 * </ol>
 *
 * A refusal is an {@link InvalidModelPackageException} naming the package, the file, the check and
 * the numbers.
 */
public final class ModelAdmission {

    /** How far the scores of one input may sum from 1. */
    public static final double SUM_TOLERANCE = 1e-3;
    /** Inputs whose outputs a refusal quotes. */
    private static final int QUOTED = 3;

    private ModelAdmission() {}

    /** A package that passed, with the network that passed (the caller closes it) and what was found. */
    public record Admitted<I extends ModelInput>(Classifier<I> classifier, Verdict verdict) {}

    /**
     * What admission found for an accepted package.
     *
     * @param agreeing golden inputs whose best label was the expected one
     * @param inputs golden inputs
     * @param required the least number that had to agree
     * @param millis time spent loading and running the network
     */
    public record Verdict(String model, String file, int agreeing, int inputs, int required, long millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "golden set %s: %d of %d inputs gave the expected label (%d needed), "
                    + "every score finite, in [0, 1], summing to 1 (%d ms)", file, agreeing, inputs, required, millis);
        }
    }

    /** Admits a package of whatever kind its manifest names, on the CPU, and closes the network: for tools. */
    public static Verdict check(ModelPackage pkg) throws InvalidModelPackageException {
        return check(pkg, ModelKind.of(pkg.manifest()));
    }

    private static <I extends ModelInput> Verdict check(ModelPackage pkg, ModelKind<I> kind)
            throws InvalidModelPackageException {
        Admitted<I> a = admit(pkg, kind, Device.cpu());
        a.classifier().close();
        return a.verdict();
    }

    /**
     * Loads the package's network on {@code device} and admits it; the network returned is the one
     * that passed, warmed up by the golden inputs.
     *
     * @throws InvalidModelPackageException naming the package, the check and the numbers
     */
    public static <I extends ModelInput> Admitted<I> admit(ModelPackage pkg, ModelKind<I> kind, Device device)
            throws InvalidModelPackageException {
        long t0 = System.nanoTime();
        ModelManifest m = pkg.manifest();
        String where = pkg.location();
        if (!kind.covers(m)) {
            throw new InvalidModelPackageException(where, "it is a " + m.task() + " model of architecture "
                    + m.architecture() + ", not a " + kind);
        }
        GoldenSet golden = m.golden();
        List<I> inputs = goldenInputs(pkg, kind, where);
        Classifier<I> classifier;
        try {
            classifier = kind.load(pkg, device);
        } catch (InvalidModelPackageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelPackageException(where, "cannot load the network: " + Reasons.of(e));
        }
        try {
            List<Classification> outputs;
            try {
                outputs = classifier.classify(inputs);
            } catch (RuntimeException e) {
                throw new InvalidModelPackageException(where, "golden set " + golden.file() + ": inference failed: "
                        + Reasons.of(e));
            }
            int agreeing = checkOutputs(where, m, golden, outputs);
            return new Admitted<>(classifier, new Verdict(m.id(), golden.file(), agreeing, inputs.size(),
                    golden.required(), (System.nanoTime() - t0) / 1_000_000));
        } catch (InvalidModelPackageException | RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /** The golden inputs, after checking the manifest's golden section against the package and the kind. */
    private static <I extends ModelInput> List<I> goldenInputs(ModelPackage pkg, ModelKind<I> kind, String where)
            throws InvalidModelPackageException {
        ModelManifest m = pkg.manifest();
        GoldenSet g = m.golden();
        if (g == null) {
            throw new InvalidModelPackageException(where, "no golden set: the manifest has no 'golden' section, so "
                    + "nothing shows that this copy of the model decides as it did when it was made (train or "
                    + "fine-tune it with this version of Argus, or add one with argus models golden)");
        }
        if (g.file() == null || !pkg.fileNames().contains(g.file())) {
            throw new InvalidModelPackageException(where, "golden set: the manifest names the file '" + g.file()
                    + "', which the package does not hold");
        }
        if (!kind.golden().input().equals(g.input())) {
            throw new InvalidModelPackageException(where, "golden set " + g.file() + ": inputs of kind '" + g.input()
                    + "', but a " + kind.task() + " model takes '" + kind.golden().input() + "'");
        }
        if (!(g.minAgreement() > 0 && g.minAgreement() <= 1)) {
            throw new InvalidModelPackageException(where, "golden set " + g.file() + ": minAgreement "
                    + g.minAgreement() + " is not in (0, 1]");
        }
        if (g.expected() == null || g.expected().isEmpty()) {
            throw new InvalidModelPackageException(where, "golden set " + g.file() + ": no expected labels");
        }
        for (String label : g.expected()) {
            if (!m.labels().contains(label)) {
                throw new InvalidModelPackageException(where, "golden set " + g.file() + ": expected label '" + label
                        + "' is not one of the model's labels " + m.labels());
            }
        }
        List<I> inputs;
        try {
            inputs = kind.golden().decode(NpyArray.parse(pkg.file(g.file())));
        } catch (IllegalArgumentException e) {
            throw new InvalidModelPackageException(where, "golden set " + g.file() + ": " + e.getMessage());
        }
        if (inputs.size() != g.expected().size()) {
            throw new InvalidModelPackageException(where, "golden set " + g.file() + ": " + inputs.size()
                    + " inputs but " + g.expected().size() + " expected labels");
        }
        return inputs;
    }

    /** Checks every output's scores, then the agreement; returns how many agreed. */
    private static int checkOutputs(String where, ModelManifest m, GoldenSet g, List<Classification> outputs)
            throws InvalidModelPackageException {
        String file = "golden set " + g.file();
        if (outputs.size() != g.expected().size()) {
            throw new InvalidModelPackageException(where, file + ": " + outputs.size() + " outputs for "
                    + g.expected().size() + " inputs");
        }
        List<String> nonFinite = new ArrayList<>();
        List<String> outOfRange = new ArrayList<>();
        List<String> disagreeing = new ArrayList<>();
        int agreeing = 0;
        for (int i = 0; i < outputs.size(); i++) {
            Classification c = outputs.get(i);
            if (c.labels().size() != m.labels().size()) {
                throw new InvalidModelPackageException(where, file + ": input " + i + " got " + c.labels().size()
                        + " scores for " + m.labels().size() + " labels");
            }
            double sum = 0;
            boolean finite = true;
            boolean inRange = true;
            for (float s : c.scores()) {
                finite &= Float.isFinite(s);
                inRange &= s >= 0 && s <= 1;
                sum += s;
            }
            if (!finite) {
                nonFinite.add("input " + i + " " + scores(c));
            } else if (!inRange || Math.abs(sum - 1) > SUM_TOLERANCE) {
                outOfRange.add(String.format(Locale.ROOT, "input %d sums to %.4f: %s", i, sum, scores(c)));
            } else if (c.label().equals(g.expected().get(i))) {
                agreeing++;
            } else {
                disagreeing.add(String.format(Locale.ROOT, "input %d: %s %.2f, expected %s", i, c.label(), c.score(),
                        g.expected().get(i)));
            }
        }
        int n = outputs.size();
        if (!nonFinite.isEmpty()) {
            throw new InvalidModelPackageException(where, file + ": " + nonFinite.size() + " of " + n
                    + " inputs got non-finite scores (" + quote(nonFinite) + ")");
        }
        if (!outOfRange.isEmpty()) {
            throw new InvalidModelPackageException(where, file + ": " + outOfRange.size() + " of " + n
                    + " inputs got scores outside [0, 1] or not summing to 1 (" + quote(outOfRange) + ")");
        }
        if (agreeing < g.required()) {
            throw new InvalidModelPackageException(where, String.format(Locale.ROOT,
                    "%s: %d of %d inputs gave the expected label (%.2f), below the manifest's minAgreement %.2f "
                            + "(%d needed): %s", file, agreeing, n, (double) agreeing / n, g.minAgreement(),
                    g.required(), quote(disagreeing)));
        }
        return agreeing;
    }

    private static String scores(Classification c) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < c.labels().size(); i++) {
            b.append(i == 0 ? "" : " ").append(c.labels().get(i)).append('=').append(c.scores()[i]);
        }
        return b.toString();
    }

    private static String quote(List<String> items) {
        String shown = String.join("; ", items.subList(0, Math.min(QUOTED, items.size())));
        return items.size() > QUOTED ? shown + "; ..." : shown;
    }
}
