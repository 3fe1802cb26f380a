package io.argus.jobs.cli;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.jobs.config.CommandLine;
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
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code argus models keygen|sign|verify}: the signing keys of model packages, signing a package,
 * and checking one as a job configured with the same options would.
 */
public final class ModelsCommand {

    static final String PRIVATE_KEY = "model-signing.key";
    static final String PUBLIC_KEY = "model-signing.pub";

    static final ConfigOption<String> OUT = key("out").stringType().noDefaultValue()
            .withDescription("Directory the key pair is written to (required).");
    static final ConfigOption<String> KEY = key("key").stringType().noDefaultValue()
            .withDescription("Ed25519 private key (PEM) to sign with (required).");
    static final ConfigOption<String> PACKAGE = key("package").stringType().noDefaultValue()
            .withDescription("Model package directory (required).");
    static final ConfigOption<String> PUBLIC = key("model-public-key").stringType().noDefaultValue()
            .withDescription("Ed25519 public key (PEM) the package must be signed by, as the job's option.");
    static final ConfigOption<List<String>> TRUSTED = key("model-trusted-dirs").stringType().asList().noDefaultValue()
            .withDescription("Trusted directories (separated by ';'), as the job's option.");

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
            case "keygen" -> keygen(rest, System.out);
            case "sign" -> sign(rest, System.out);
            case "verify" -> verify(rest, System.out);
            case "--help", "-h", "help" -> System.out.println("""
                    usage: argus models <keygen|sign|verify> [options]   (argus models <command> --help)

                      keygen   write a new Ed25519 key pair for signing model packages
                      sign     sign a model package: writes manifest.sig next to its manifest
                      verify   check a package (checksums, files, trust, signature) as the job would""");
            default -> throw new IllegalArgumentException("unknown models command '" + sub + "'; try argus models --help");
        }
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
                "Reads the package as a job with the same --model-public-key and --model-trusted-dirs would, and says "
                        + "what it found or why the job would refuse it.");
        if (conf == null) {
            return;
        }
        String keyFile = conf.get(PUBLIC);
        PublicKey key = keyFile == null ? null : ModelSigning.readPublicKey(Path.of(keyFile));
        List<Path> dirs = conf.getOptional(TRUSTED).orElse(List.of()).stream().map(Path::of).toList();
        ModelTrust trust = ModelTrust.of(dirs, key);
        ModelManifest m = ModelPackage.read(Path.of(required(conf, PACKAGE)), trust).manifest();
        out.println("argus models verify: " + m.id() + " (" + m.task() + ", " + m.labels().size() + " labels, files "
                + m.files().keySet() + ") is accepted; " + trust);
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
        String value = conf.get(option);
        if (value == null) {
            throw new IllegalArgumentException("option --" + option.key() + " is required");
        }
        return value;
    }
}
