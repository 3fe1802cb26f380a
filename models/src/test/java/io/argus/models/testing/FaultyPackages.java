package io.argus.models.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.argus.models.action.ActionNetwork;
import io.argus.models.audio.AudioNetwork;
import io.argus.models.input.SpectrogramSpec;
import io.argus.models.packaging.GoldenSet;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.NpyArray;
import io.argus.models.runtime.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packages that must never serve, made from the bundled ones with valid checksums (so only loading
 * and running them can tell): every output bias NaN; the weights cut in half; the labels listed in
 * another order than the head's outputs; and one that decides its own golden inputs (silence) like
 * the original but gives NaN for anything loud, which only the running job can find out.
 */
public final class FaultyPackages {

    private FaultyPackages() {}

    /** The bundled package {@code name} under {@code version}, its output layer's biases all NaN. */
    public static ModelPackage nanBias(String name, String version) throws Exception {
        ModelPackage base = ModelPackage.bundled(name).withVersion(version);
        byte[] weights = edit(base, (net, manager) -> {
            Parameter bias = parameter(last(net), "bias");
            float[] nan = new float[(int) bias.getArray().size()];
            Arrays.fill(nan, Float.NaN);
            bias.getArray().set(nan);
        });
        return withWeights(base, weights);
    }

    /** The bundled package {@code name} under {@code version}, its weights file cut to half its length. */
    public static ModelPackage truncated(String name, String version) throws Exception {
        ModelPackage base = ModelPackage.bundled(name).withVersion(version);
        byte[] w = base.weights();
        return withWeights(base, Arrays.copyOf(w, w.length / 2));
    }

    /** The bundled package {@code name} under {@code version}, its labels rotated by one against the head's outputs. */
    public static ModelPackage mislabelledHead(String name, String version) throws Exception {
        ModelPackage base = ModelPackage.bundled(name).withVersion(version);
        List<String> labels = new ArrayList<>(base.manifest().labels());
        labels.add(labels.remove(0));
        return rebuilt(base, base.manifest().withLabels(labels), base.weights());
    }

    /**
     * The bundled audio model under {@code version}, changed so that it decides silence as before but
     * gives louder windows non-finite scores: one channel of its first convolution becomes a level
     * detector, exactly zero wherever the spectrogram stays at the level of the bundled golden set's
     * silence (and of digital silence) and large wherever it is louder, and it feeds the second
     * convolution at the largest float weight, so any sound overflows to infinity and the next layers
     * turn that into NaN. Its golden set is the bundled one's silence windows, which it passes.
     */
    public static ModelPackage nanWhenLoud(String version) throws Exception {
        ModelPackage base = ModelPackage.bundled("audio-cnn").withVersion(version);
        GoldenSet golden = base.manifest().golden();
        NpyArray rows = NpyArray.parse(base.file(golden.file()));
        SpectrogramSpec spec = base.manifest().audio();
        List<Integer> silent = new ArrayList<>();
        for (int i = 0; i < golden.expected().size(); i++) {
            if (golden.expected().get(i).equals("silence")) {
                silent.add(i);
            }
        }
        float quietestDb = (float) spec.floorDb();
        for (int i : silent) {
            for (float db : rows.floatRow(i)) {
                quietestDb = Math.max(quietestDb, db);
            }
        }
        // the network's own input scaling (AudioNetwork): dB to an image around zero
        float threshold = (quietestDb + 1 - (float) spec.floorDb() / 2) / ((float) -spec.floorDb() / 4);
        byte[] weights = edit(base, (net, manager) -> {
            List<Block> children = net.getChildren().values();
            Block conv1 = children.get(1);
            Block norm1 = children.get(2);
            Block conv2 = children.get(5);
            Block norm2 = children.get(6);
            NDArray k1 = parameter(conv1, "weight").getArray(); // (16, 1, 3, 3)
            k1.set(new NDIndex("0, :, :, :"), 0f);
            k1.set(new NDIndex("0, 0, 1, 1"), 1000f);
            parameter(conv1, "bias").getArray().set(new NDIndex("0"), -1000f * threshold);
            parameter(norm1, "runningMean").getArray().set(new NDIndex("0"), 0f);
            parameter(norm1, "runningVar").getArray().set(new NDIndex("0"), 1f);
            parameter(norm1, "gamma").getArray().set(new NDIndex("0"), 1f);
            parameter(norm1, "beta").getArray().set(new NDIndex("0"), 0f);
            float[] gamma2 = parameter(norm2, "gamma").getArray().toFloatArray();
            NDArray k2 = parameter(conv2, "weight").getArray(); // (32, 16, 3, 3)
            for (int k = 0; k < gamma2.length; k++) {
                if (gamma2[k] > 0) {
                    k2.set(new NDIndex(k + ", 0, :, :"), Float.MAX_VALUE);
                }
            }
        });
        float[] kept = new float[silent.size() * rows.rowSize()];
        for (int i = 0; i < silent.size(); i++) {
            System.arraycopy(rows.floatRow(silent.get(i)), 0, kept, i * rows.rowSize(), rows.rowSize());
        }
        int[] shape = rows.shape();
        shape[0] = silent.size();
        Map<String, Object> source = new LinkedHashMap<>(golden.source());
        source.put("data", "the bundled audio model's silence windows only");
        GoldenSet silenceOnly = new GoldenSet(golden.file(), golden.input(),
                Collections.nCopies(silent.size(), "silence"), 1.0, source);
        return withWeights(base, weights).withGolden(silenceOnly, NpyArray.ofFloats(shape, kept));
    }

    /** Changes a package's network in place and returns its new weights. */
    private interface Edit {
        void apply(SequentialBlock net, NDManager manager) throws Exception;
    }

    private static byte[] edit(ModelPackage pkg, Edit edit) throws Exception {
        ModelManifest m = pkg.manifest();
        DjlRuntime.pytorch();
        SequentialBlock net = (SequentialBlock) (m.audio() != null ? AudioNetwork.build(m.audio(), m.labels().size())
                : ActionNetwork.build(m.video(), m.labels().size()));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE)) {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(pkg.weights())));
            edit.apply(net, manager);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DataOutputStream data = new DataOutputStream(out)) {
                net.saveParameters(data);
            }
            return out.toByteArray();
        }
    }





    private static Block last(SequentialBlock net) {
        List<Block> children = net.getChildren().values();
        return children.get(children.size() - 1);
    }

    private static Parameter parameter(Block block, String name) {
        return block.getParameters().get(name);
    }

    private static ModelPackage withWeights(ModelPackage base, byte[] weights) {
        return rebuilt(base, base.manifest(), weights);
    }

    /** A package of {@code manifest} holding {@code base}'s files with the weights replaced. */
    private static ModelPackage rebuilt(ModelPackage base, ModelManifest manifest, byte[] weights) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : base.fileNames()) {
            files.put(f, base.file(f));
        }
        files.put(ModelPackage.WEIGHTS, weights);
        return ModelPackage.create(manifest, files);
    }
}
