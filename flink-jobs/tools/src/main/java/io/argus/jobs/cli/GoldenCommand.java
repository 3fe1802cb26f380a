package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.cli.LabelledClips.FileKind;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.CommandLine;
import io.argus.models.action.HeldOutScenes;
import io.argus.models.admission.GoldenSets;
import io.argus.models.admission.ModelAdmission;
import io.argus.models.admission.ModelKind;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus models golden --package DIR --data DATA}: gives a package a golden set (or a new
 * one) chosen from held-out data whose labels are known, the way training and fine-tuning do, and
 * rewrites its manifest. That is how a package made before golden sets existed, the bundled ones
 * included, gets one.
 */
final class GoldenCommand {

    static final ConfigOption<String> DATA = key("data").stringType().noDefaultValue()
            .withDescription("Held-out data with known labels (required): " + HeldOutScenes.RENDERED + " for the "
                    + "rendered scenes action models never train on (the TILES backdrops, " + HeldOutScenes
                    .GOLDEN_CANDIDATES_PER_LABEL + " per label, seed " + HeldOutScenes.SEED + "), or a folder with "
                    + "a subfolder per label (LABEL/*) or a file per label (LABEL.ext) of " + FileKind.VIDEO
                    + " for an action model or " + FileKind.AUDIO + " for an audio model, cut into windows as the "
                    + "job cuts them.");
    static final ConfigOption<Integer> PER_LABEL = key("per-label").intType()
            .defaultValue(GoldenSets.Options.defaults().perLabel())
            .withDescription("Most golden inputs per label, taken among the held-out windows the model decides right.");
    static final ConfigOption<Double> MIN_AGREEMENT = key("min-agreement").doubleType()
            .defaultValue(GoldenSets.Options.defaults().minAgreement())
            .withDescription("Share of the golden inputs a copy of the model must still decide as expected, recorded "
                    + "in the manifest (room for another engine or device to round differently).");
    static final ConfigOption<Long> SEED = key("seed").longType().defaultValue(GoldenSets.Options.defaults().seed())
            .withDescription("Which of the windows decided right are taken.");

    static final List<ConfigOption<?>> OPTIONS = List.of(ModelsCommand.PACKAGE, DATA, PER_LABEL, MIN_AGREEMENT, SEED,
            FinetuneCommand.STRIDE, AudioOptions.HOP);

    private GoldenCommand() {}

    static void run(String[] args, PrintStream out) throws IOException {
        CommandLine.Parsed parsed = CommandLine.parse(args, OPTIONS);
        if (parsed.help()) {
            CommandLine.printHelp(out, "argus models golden --package DIR --data DATA [options]",
                    "Chooses a golden set for the package from held-out data (inputs the model decides right, with "
                            + "their labels), writes it into the package (" + io.argus.models.packaging.GoldenSet.FILE
                            + " and the manifest's golden section) and checks the package as the job would. A "
                            + "signature no longer fits the new manifest and is removed: sign the package again.",
                    OPTIONS);
            return;
        }
        Configuration conf = parsed.config();
        CommandLine.require(conf, ModelsCommand.PACKAGE, DATA);
        Path dir = Path.of(conf.get(ModelsCommand.PACKAGE));
        ModelPackage pkg = ModelPackage.read(dir);
        GoldenSets.Options options = new GoldenSets.Options(conf.get(PER_LABEL), conf.get(MIN_AGREEMENT),
                conf.get(SEED));
        ModelKind<?> kind = ModelKind.of(pkg.manifest());
        ModelPackage golden = kind == ModelKind.ACTION ? action(pkg, conf, options)
                : kind == ModelKind.AUDIO ? audio(pkg, conf, options)
                : unsupported(pkg);
        Files.deleteIfExists(dir.resolve(ModelPackage.SIGNATURE));
        golden.writeTo(dir);
        ModelAdmission.Verdict v = ModelAdmission.check(ModelPackage.read(dir));
        out.println("argus models golden: " + golden.manifest().id() + " in " + dir + ": " + golden.manifest().golden()
                .expected().size() + " golden inputs " + golden.manifest().golden().source().get("chosenPerLabel")
                + "; " + v);
    }

    private static ModelPackage action(ModelPackage pkg, Configuration conf, GoldenSets.Options options)
            throws IOException {
        ModelManifest m = pkg.manifest();
        String data = conf.get(DATA);
        if (data.equals(HeldOutScenes.RENDERED)) {
            return GoldenSets.add(pkg, ModelKind.ACTION, HeldOutScenes.candidates(m.video(),
                    HeldOutScenes.GOLDEN_CANDIDATES_PER_LABEL, HeldOutScenes.SEED), options,
                    HeldOutScenes.goldenSource(HeldOutScenes.SEED));
        }
        int stride = conf.get(FinetuneCommand.STRIDE);
        return fromFiles(pkg, ModelKind.ACTION, Path.of(data), FileKind.VIDEO,
                f -> FinetuneCommand.windows(f, m.video(), stride), "a window every " + stride + " frames", options);
    }

    private static ModelPackage audio(ModelPackage pkg, Configuration conf, GoldenSets.Options options)
            throws IOException {
        AudioClipWindows cutter = new AudioClipWindows(pkg.manifest().audio(), conf.get(AudioOptions.HOP));
        return fromFiles(pkg, ModelKind.AUDIO, Path.of(conf.get(DATA)), FileKind.AUDIO, cutter::of,
                "a window every " + conf.get(AudioOptions.HOP).toMillis() + " ms", options);
    }

    private static ModelPackage unsupported(ModelPackage pkg) {
        throw new IllegalArgumentException("option --package: " + pkg.manifest().id() + " is a " + pkg.manifest().task()
                + " model; argus models golden reads held-out data for action and audio models");
    }

    /** Candidates from every file of every label of the model in {@code data} (LABEL/* or LABEL.ext). */
    private static <I extends ModelInput> ModelPackage fromFiles(ModelPackage pkg, ModelKind<I> kind, Path data,
            FileKind files, LabelledClips.Cutter<I> cutter, String cut, GoldenSets.Options options)
            throws IOException {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("option --data: " + data + " is neither " + HeldOutScenes.RENDERED
                    + " nor a directory");
        }
        List<GoldenSets.Candidate<I>> candidates = new ArrayList<>();
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        for (String label : pkg.manifest().labels()) {
            int before = candidates.size();
            for (Path f : labelFiles(data, label, files)) {
                for (I window : cutter.windows(f)) {
                    candidates.add(new GoldenSets.Candidate<>(window, label));
                }
            }
            perLabel.put(label, candidates.size() - before);
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("option --data: no " + files + " of the labels "
                    + pkg.manifest().labels() + " in " + data + " (LABEL/* or LABEL.ext)");
        }
        Map<String, Object> source = new LinkedHashMap<>();
        String named = data.isAbsolute() ? "<dir>/" + data.getFileName() : data.toString();
        source.put("data", String.format(Locale.ROOT, "the files of %s (LABEL/* or LABEL.ext), cut as the job cuts "
                + "them, %s: windows per label %s", named, cut, perLabel));
        source.put("command", "bin/argus models golden --package <dir> --data " + named);
        return GoldenSets.add(pkg, kind, candidates, options, source);
    }

    private static List<Path> labelFiles(Path data, String label, FileKind kind) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(data)) {
            s.filter(p -> Files.isRegularFile(p) && kind.matches(p) && stem(p).equals(label)).forEach(found::add);
        }
        Path folder = data.resolve(label);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(p -> Files.isRegularFile(p) && kind.matches(p)).forEach(found::add);
            }
        }
        found.sort(null);
        return found;
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
