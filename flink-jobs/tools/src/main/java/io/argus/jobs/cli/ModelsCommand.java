package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.connectors.events.EventFormat;
import io.argus.jobs.config.CommandLine;
import io.argus.jobs.config.KafkaOptions;
import io.argus.jobs.config.ModelTrustOptions;
import io.argus.jobs.demo.TopicReader;
import io.argus.jobs.eval.GroundTruth;
import io.argus.jobs.eval.ShadowComparison;
import io.argus.jobs.models.ModelRef;
import io.argus.jobs.models.ModelRegistry;
import io.argus.models.admission.ModelAdmission;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelSigning;
import io.argus.models.packaging.ModelTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

/**
 * {@code argus models ...}: a model registry (list, show, publish, promote, rollback; see
 * {@link ModelRegistry}), the signing keys of model packages, signing a package, checking one as a
 * job configured with the same options would ({@link ModelAdmission}), and giving one a golden set.
 */
public final class ModelsCommand {

    static final String PRIVATE_KEY = "model-signing.key";
    static final String PUBLIC_KEY = "model-signing.pub";

    static final ConfigOption<String> OUT = key("out").stringType().noDefaultValue()
            .withDescription("Directory the key pair is written to (required).");
    static final ConfigOption<String> KEY = key("key").stringType().noDefaultValue()
            .withDescription("Ed25519 private key (PEM) to sign with (required).");
    /** The prefix of {@code --package bundled:NAME}: a package bundled with Argus. */

    static final ConfigOption<String> PACKAGE = key("package").stringType().noDefaultValue()
            .withDescription("Model package directory (required).");
    /** publish's --package, which also takes a bundled package by name. */
    static final ConfigOption<String> PUBLISH_PACKAGE = key("package").stringType().noDefaultValue()
            .withDescription("Model package directory, or bundled:NAME for a package bundled with Argus "
                    + "(audio-cnn, action-cnn-lstm, pose-action-lstm) (required).");
    static final ConfigOption<String> PUBLIC = ModelTrustOptions.PUBLIC_KEY;
    static final ConfigOption<List<String>> TRUSTED = ModelTrustOptions.TRUSTED_DIRS;

    static final ConfigOption<String> REGISTRY = key("registry").stringType().noDefaultValue()
            .withDescription("Model registry: a path or a Flink file system URI (the job's --model-registry; "
                    + "required).");
    static final ConfigOption<String> MODEL = key("model").stringType().noDefaultValue()
            .withDescription("Model name, or NAME@VERSION for show (required).");
    static final ConfigOption<String> VERSION = key("version").stringType().noDefaultValue()
            .withDescription("Version to serve (required).");

    static final ConfigOption<String> SHADOW_VERSION = key("version").stringType().noDefaultValue()
            .withDescription("Version to run as the shadow (required unless --stop).");
    static final ConfigOption<Boolean> STOP = key("stop").booleanType().defaultValue(false)
            .withDescription("Stop the model's shadow instead of starting one.");
    static final ConfigOption<Boolean> LIVE = key("live").booleanType().defaultValue(false)
            .withDescription("Compare what the jobs' shadow wrote to the shadow topic with the serving decisions "
                    + "beside it (required: the only comparison on live traffic; offline, argus evaluate scores "
                    + "several models on the same labelled recordings).");
    static final ConfigOption<String> COMPARED_VERSION = key("version").stringType().noDefaultValue()
            .withDescription("The shadow version to compare; by default the one of the newest shadow event.");
    static final ConfigOption<String> FROM = key("from").stringType().noDefaultValue()
            .withDescription("Only windows starting at or after this time: an ISO-8601 instant "
                    + "(2026-12-05T10:00:00Z) or a duration back from now (30min, 2h, 1d); default: all.");
    static final ConfigOption<String> TO = key("to").stringType().noDefaultValue()
            .withDescription("Only windows starting before this time, in --from's forms; default: all.");
    static final ConfigOption<String> LABELS = key("labels").stringType().noDefaultValue()
            .withDescription("Ground truth for part of the traffic (CSV stream,kind,start,end,label, as argus evaluate "
                    + "reads it, times in seconds from --labels-origin): also scores both versions on the windows it "
                    + "labels.");
    static final ConfigOption<String> LABELS_ORIGIN = key("labels-origin").stringType().noDefaultValue()
            .withDescription("The capture time the --labels times count from, in --from's forms (required with "
                    + "--labels).");
    static final ConfigOption<Double> IF_AGREEMENT = key("if-agreement").doubleType().defaultValue(-1.0)
            .withDescription("Promote only if the version, run as a shadow, agreed with the serving version on at "
                    + "least this share (0 to 1) of the windows in the shadow topic (--from, --to); otherwise refuse "
                    + "with the figures. Needs the Kafka options. -1: promote without evidence.");
    static final ConfigOption<Integer> MIN_WINDOWS = key("min-windows").intType().defaultValue(100)
            .withDescription("With --if-agreement: the fewest windows the shadow must have been compared on.");

    private ModelsCommand() {}

    public static void main(String[] args) throws Exception {
        String sub = args.length == 0 ? "--help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        try {
            run(sub, rest);
        } catch (InvalidModelPackageException e) {
            System.err.println("argus models " + sub + ": refused: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String sub, String[] rest) throws IOException {
        switch (sub) {
            case "list" -> list(rest, System.out);
            case "show" -> show(rest, System.out);
            case "publish" -> publish(rest, System.out);
            case "promote" -> promote(rest, System.out);
            case "rollback" -> rollback(rest, System.out);
            case "shadow" -> shadow(rest, System.out);
            case "compare" -> compare(rest, System.out);
            case "keygen" -> keygen(rest, System.out);
            case "sign" -> sign(rest, System.out);
            case "verify" -> verify(rest, System.out);
            case "golden" -> GoldenCommand.run(rest, System.out);
            case "--help", "-h", "help" -> System.out.println("""
                    usage: argus models <command> [options]   (argus models <command> --help)

                      list     the registry's models and each version's state: serving, refused (with
                               the reason), retired or published
                      show     a published version's manifest: task, labels, input, metrics, files
                      publish  admit a model package as the jobs would and copy it into the registry
                      promote  admit a version and make it the one jobs serve (running jobs swap to it)
                      rollback serve the last version that served cleanly again
                      shadow   run a version beside the serving one on live traffic (or --stop it): its
                               events go to the shadow topic, the serving ones are unchanged
                      compare  --live: the shadow's agreement with serving, per class and stream, from
                               the shadow topic
                      keygen   write a new Ed25519 key pair for signing model packages
                      sign     sign a model package: writes manifest.sig next to its manifest
                      verify   check a package as the job would: checksums, files, trust, signature, then
                               its network on its golden inputs
                      golden   give a package a golden set chosen from held-out data""");
            default -> throw new IllegalArgumentException("unknown models command '" + sub + "'; try argus models --help");
        }
    }

    static void list(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(REGISTRY), "argus models list --registry URI",
                "Lists every model of the registry and each version's state: serving, refused (by a job or a tool, "
                        + "with the reason; it never serves again), retired (promoted once) or published.");
        if (conf == null) {
            return;
        }
        ModelRegistry registry = new ModelRegistry(required(conf, REGISTRY));
        List<String> names = registry.names();
        if (names.isEmpty()) {
            out.println("argus models list: no models in " + registry.uri());
        }
        for (String name : names) {
            out.println(name);
            for (ModelRegistry.VersionState v : registry.states(name)) {
                ModelRegistry.Refusal r = v.refusal();
                out.println("  " + v.version() + "  " + v.state().name().toLowerCase(Locale.ROOT) + (r == null ? ""
                        : ": " + r.reason() + " (" + r.by() + ", " + Instant.ofEpochMilli(r.atMs()) + ")"));
            }
            Optional<String> serving = registry.serving(name);
            if (serving.isPresent() && registry.refusal(name, serving.get()).isPresent()) {
                List<String> good = registry.lastGood(name);
                out.println("  SERVING names " + serving.get() + ", which is refused: jobs serve "
                        + (good.isEmpty() ? "no version" : "the last good version, " + good.get(0))
                        + "; argus models rollback (or promote) makes that official");
            }
        }
    }

    static void show(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(REGISTRY, MODEL), "argus models show --registry URI --model NAME[@VERSION]",
                "Prints a published version's manifest (the serving one without @VERSION), after verifying it.");
        if (conf == null) {
            return;
        }
        ModelRegistry registry = new ModelRegistry(required(conf, REGISTRY));
        String[] nameVersion = required(conf, MODEL).split("@", 2);
        String version = nameVersion.length == 2 ? nameVersion[1] : registry.serving(nameVersion[0]).orElseThrow(
                () -> new IllegalArgumentException(nameVersion[0] + " serves no version; name one as NAME@VERSION"));
        ModelManifest m = registry.read(nameVersion[0], version, ModelTrust.CALLER).manifest();
        out.println(m.id() + (version.equals(registry.serving(m.name()).orElse(null)) ? " (serving)" : ""));
        out.println("  task        " + m.task() + ", architecture " + m.architecture());
        out.println("  labels      " + m.labels());
        out.println("  input       " + (m.video() != null ? m.video() : m.audio()));
        if (m.baseModel() != null) {
            out.println("  base model  " + m.baseModel());
        }
        if (m.metrics() != null) {
            Object v = m.metrics().getOrDefault("validation", m.metrics());
            if (v instanceof java.util.Map<?, ?> vm) {
                out.println("  validation  accuracy " + vm.get("accuracy") + ", macro-F1 " + vm.get("macroF1"));
            }
        }
        m.files().forEach((f, sha) -> out.println("  file        " + f + "  sha256 " + sha));
    }

    static void publish(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(REGISTRY, PUBLISH_PACKAGE, PUBLIC, TRUSTED),
                "argus models publish --registry URI --package DIR|bundled:NAME [options]",
                "Admits a model package directory as a job with the same --model-public-key would admit it from the "
                        + "registry (checksums, files, signature, then its network on its golden inputs) and copies it "
                        + "into the registry as NAME/VERSION (from its manifest); a published version is never "
                        + "overwritten. Publishing does not serve it: promote.");
        if (conf == null) {
            return;
        }
        ModelRef pkg = ModelRef.parse(required(conf, PUBLISH_PACKAGE), null);
        ModelRegistry registry = new ModelRegistry(required(conf, REGISTRY));
        String id;
        if (pkg instanceof ModelRef.Bundled bundled) {
            Path dir = Files.createTempDirectory("argus-bundled-");
            try {
                ModelPackage.bundled(bundled.name()).writeTo(dir.resolve("package"));
                id = registry.publish(dir.resolve("package"), trust(conf));
            } finally {
                deleteTree(dir);
            }
        } else if (pkg instanceof ModelRef.Directory directory) {
            id = registry.publish(Path.of(directory.path()), trust(conf));
        } else {
            throw new IllegalArgumentException("option --" + PUBLISH_PACKAGE.key() + ": " + pkg.text()
                    + " is not a package: give its directory or bundled:NAME");
        }
        out.println("argus models publish: published " + id);
    }

    static void promote(String[] args, PrintStream out) throws IOException {
        List<ConfigOption<?>> options = new ArrayList<>(List.of(REGISTRY, MODEL, VERSION, PUBLIC, TRUSTED,
                IF_AGREEMENT, MIN_WINDOWS, KafkaOptions.SHADOW_TOPIC, FROM, TO));
        options.addAll(KafkaOptions.CONNECTION);
        Configuration conf = parse(args, options,
                "argus models promote --registry URI --model NAME --version VERSION [options]",
                "Admits the version as a job with the same --model-public-key would (checksums, files, signature, "
                        + "its network on its golden inputs; a version a job refused before is refused) and makes it "
                        + "the one jobs serve: running jobs with registry:NAME load it beside the current one and swap "
                        + "within their --model-poll-interval, or refuse it on the status topic. A refused version is "
                        + "marked refused in the registry. With --if-agreement, only if the version has earned it as "
                        + "a shadow (argus models shadow): compared with serving on at least --min-windows windows of "
                        + "the shadow topic, it agreed on at least that share; otherwise it refuses with the figures. "
                        + "A shadow of the promoted version stops.");
        if (conf == null) {
            return;
        }
        ModelRegistry registry = new ModelRegistry(required(conf, REGISTRY));
        String name = required(conf, MODEL);
        if (conf.get(IF_AGREEMENT) >= 0) {
            ShadowComparison evidence = compared(conf, name, required(conf, VERSION), null);
            String shortOf = evidence.shortOf(conf.get(IF_AGREEMENT), conf.get(MIN_WINDOWS));
            if (shortOf != null) {
                throw new IllegalStateException("not promoted: " + shortOf);
            }
            out.printf(Locale.ROOT, "argus models promote: %s@%s agreed with serving on %.1f%% of %d windows as a "
                    + "shadow (needs %.1f%% of at least %d); per class: %s%n", name, conf.get(VERSION),
                    100 * evidence.overall().share(), evidence.overall().windows(), 100 * conf.get(IF_AGREEMENT),
                    conf.get(MIN_WINDOWS), evidence.classLine());
        }
        String before = registry.serving(name).orElse("none");
        ModelAdmission.Verdict v = registry.promote(name, required(conf, VERSION), trust(conf));
        out.println("argus models promote: " + name + " now serves " + conf.get(VERSION) + " (was " + before + "); "
                + v);
    }

    static void shadow(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(REGISTRY, MODEL, SHADOW_VERSION, STOP, PUBLIC, TRUSTED),
                "argus models shadow --registry URI --model NAME (--version VERSION | --stop) [options]",
                "Runs a version as a shadow beside the serving one: every job serving registry:NAME loads it within "
                        + "its --model-poll-interval, checked as a version to serve is (refusals on the status topic), "
                        + "classifies the same windows with it while it keeps up (--shadow-max-lag) and writes its "
                        + "events to the shadow topic with the serving label beside each; the serving events are "
                        + "unchanged. The version is admitted here first, as promote admits it. --stop ends it; "
                        + "promoting it ends it too. See argus models compare --live.");
        if (conf == null) {
            return;
        }
        ModelRegistry registry = new ModelRegistry(required(conf, REGISTRY));
        String name = required(conf, MODEL);
        if (conf.get(STOP)) {
            Optional<String> was = registry.stopShadow(name);
            out.println("argus models shadow: " + (was.isPresent() ? name + "@" + was.get() + " no longer runs as a shadow"
                    : name + " had no shadow"));
            return;
        }
        String version = required(conf, SHADOW_VERSION);
        ModelAdmission.Verdict v = registry.startShadow(name, version, trust(conf));
        out.println("argus models shadow: " + name + "@" + version + " runs as a shadow beside "
                + registry.serving(name).orElse("no serving version") + "; " + v);
    }

    static void compare(String[] args, PrintStream out) throws IOException {
        List<ConfigOption<?>> options = new ArrayList<>(List.of(LIVE, MODEL, COMPARED_VERSION, FROM, TO,
                LABELS, LABELS_ORIGIN, KafkaOptions.SHADOW_TOPIC));
        options.addAll(KafkaOptions.CONNECTION);
        Configuration conf = parse(args, options, "argus models compare --live --model NAME [options]",
                "Reads the shadow topic up to its end and compares the shadow version's decisions with the serving "
                        + "version's on the same windows: agreement overall, per serving label and per stream, the "
                        + "confusion between serving and shadow labels, and the mean shift of the top score; with "
                        + "--labels, the accuracy of both on the labelled windows.");
        if (conf == null) {
            return;
        }
        if (!conf.get(LIVE)) {
            throw new IllegalArgumentException("say --live: the comparison reads what running jobs wrote to the shadow "
                    + "topic (to compare versions offline, argus evaluate scores several on labelled recordings)");
        }
        GroundTruth truth = conf.contains(LABELS) ? GroundTruth.parse(Path.of(conf.get(LABELS))) : null;
        if (truth != null && !conf.contains(LABELS_ORIGIN)) {
            throw new IllegalArgumentException("option --labels needs --labels-origin: the capture time its times "
                    + "count from");
        }
        compared(conf, required(conf, MODEL), conf.get(COMPARED_VERSION), truth).print(out);
    }

    /**
     * The comparison of {@code name}'s shadow {@code version} (null: the newest shadow event's) with
     * serving, from the shadow topic as it stands now; scored against {@code truth} too unless null.
     */
    private static ShadowComparison compared(Configuration conf, String name, String version, GroundTruth truth) {
        long from = time(conf, FROM, Long.MIN_VALUE);
        long to = time(conf, TO, Long.MAX_VALUE);
        long origin = truth == null ? 0 : time(conf, LABELS_ORIGIN, 0);
        KafkaOptions.preflight(conf, KafkaOptions.SHADOW_TOPIC);
        List<AnalyticsEvent> shadowEvents = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaOptions.clientConfig(conf), conf.get(KafkaOptions.SHADOW_TOPIC))) {
            reader.readToEnd(() -> true, Duration.ofMinutes(5), r -> {
                AnalyticsEvent e = EventFormat.fromJson(r.value());
                if (e.isShadow() && name.equals(e.modelName)) {
                    shadowEvents.add(e);
                }
            });
        }
        String compared = version != null ? version : shadowEvents.stream()
                .max(java.util.Comparator.comparingLong(e -> e.inferredAtMs)).map(e -> e.modelVersion)
                .orElseThrow(() -> new IllegalArgumentException("the shadow topic " + conf.get(KafkaOptions.SHADOW_TOPIC)
                        + " holds no shadow event of " + name + "; start one with argus models shadow"));
        ShadowComparison c = new ShadowComparison(name, compared, from, to);
        if (truth != null) {
            c.withTruth(truth, origin);
        }
        shadowEvents.forEach(c::add);
        return c;
    }

    /** An option in --from's forms as epoch milliseconds, or {@code absent}. */
    private static long time(Configuration conf, ConfigOption<String> option, long absent) {
        String v = conf.get(option);
        if (v == null) {
            return absent;
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return System.currentTimeMillis() - TimeUtils.parseDuration(v).toMillis();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option --" + option.key() + ": '" + v + "' is neither an ISO-8601 "
                        + "instant (2026-12-05T10:00:00Z) nor a duration (30min, 2h)");
            }
        }
    }

    static void rollback(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(REGISTRY, MODEL, PUBLIC, TRUSTED),
                "argus models rollback --registry URI --model NAME [options]",
                "Serves the last version that served cleanly again: the latest promotion before the current version "
                        + "that no job refused and that is admitted now (as promote admits).");
        if (conf == null) {
            return;
        }
        ModelRegistry registry = new ModelRegistry(required(conf, REGISTRY));
        String name = required(conf, MODEL);
        String before = registry.serving(name).orElse("none");
        out.println("argus models rollback: " + name + " now serves " + registry.rollback(name, trust(conf)) + " (was "
                + before + ")");
    }

    static void keygen(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(OUT), "argus models keygen --out DIR",
                "Writes " + PRIVATE_KEY + " (keep it secret: it can sign packages every job configured with the "
                        + "public key will load) and " + PUBLIC_KEY + " (give it to jobs as --model-public-key).");
        if (conf == null) {
            return;
        }
        Path dir = Path.of(required(conf, OUT));
        Files.createDirectories(dir);
        Path privateFile = dir.resolve(PRIVATE_KEY);
        if (Files.exists(privateFile)) {
            throw new IllegalArgumentException(privateFile + " exists; not overwriting a signing key");
        }
        KeyPair pair = ModelSigning.generateKeyPair();
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        ModelSigning.writePem(privateFile, pair.getPrivate());
        ModelSigning.writePem(dir.resolve(PUBLIC_KEY), pair.getPublic());
        out.println("argus models keygen: wrote " + privateFile + " and " + dir.resolve(PUBLIC_KEY));
    }

    static void sign(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(KEY, PACKAGE), "argus models sign --key FILE --package DIR",
                "Verifies the package's checksums and files, then signs its manifest (" + ModelPackage.SIGNATURE + ").");
        if (conf == null) {
            return;
        }
        Path dir = Path.of(required(conf, PACKAGE));
        ModelManifest m = ModelPackage.read(dir).manifest();
        ModelSigning.sign(dir, ModelSigning.readPrivateKey(Path.of(required(conf, KEY))));
        out.println("argus models sign: signed " + m.id() + " in " + dir);
    }

    static void verify(String[] args, PrintStream out) throws IOException {
        Configuration conf = parse(args, List.of(PACKAGE, PUBLIC, TRUSTED), "argus models verify --package DIR [options]",
                "Checks the package as a job with the same --model-public-key and --model-trusted-dirs would: "
                        + "checksums, files, location and signature, then its network on its golden inputs (finite "
                        + "scores in [0, 1] summing to 1, the expected labels); says what it found or why the job "
                        + "would refuse it.");
        if (conf == null) {
            return;
        }
        ModelTrust trust = trust(conf);
        ModelPackage pkg = ModelPackage.read(Path.of(required(conf, PACKAGE)), trust);
        ModelAdmission.Verdict v = ModelAdmission.check(pkg);
        ModelManifest m = pkg.manifest();
        out.println("argus models verify: " + m.id() + " (" + m.task() + ", " + m.labels().size() + " labels, files "
                + m.files().keySet() + ") is accepted; " + trust + "; " + v);
    }

    /** The trust a job with the same --model-public-key and --model-trusted-dirs would have. */
    private static ModelTrust trust(Configuration conf) {
        return ModelTrustOptions.trust(conf);
    }

    /** The parsed options, or null when help was asked for (and printed). */
    private static Configuration parse(String[] args, List<ConfigOption<?>> options, String usage, String summary) {
        CommandLine.Parsed parsed = CommandLine.parse(args, options);
        if (parsed.help()) {
            CommandLine.printHelp(System.out, usage, summary, options);
            return null;
        }
        return parsed.config();
    }

    private static String required(Configuration conf, ConfigOption<String> option) {
        CommandLine.require(conf, option);
        return conf.get(option);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
