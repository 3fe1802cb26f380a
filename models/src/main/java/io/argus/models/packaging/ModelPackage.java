package io.argus.models.packaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model as it is stored and shipped: {@value #MANIFEST} plus the weights file
 * {@value #WEIGHTS} (and any further files it lists: DJL parameters, or a TorchScript backbone),
 * optionally signed ({@value #SIGNATURE}), in a directory or on the classpath.
 *
 * <p>Reading verifies every file against the SHA-256 in the manifest and refuses: file names that
 * could point outside the package; files other than DJL parameters ({@code .params}, tensors only),
 * NumPy arrays ({@code .npy}, unsigned bytes or floats only: the golden inputs, see {@link GoldenSet})
 * and TorchScript ({@code .pt}), so no pickle or native library; in a directory, any file the
 * manifest does not list, links and subdirectories; and whatever the {@link ModelTrust} rules out
 * (TorchScript, which is a program, from a location not configured as trusted; a location outside
 * the trusted directories; a missing or wrong signature).
 */
public final class ModelPackage {

    public static final int FORMAT = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String WEIGHTS = "weights.params";
    /** Base64 Ed25519 signature of the manifest's bytes (see {@link ModelSigning}). */
    public static final String SIGNATURE = "manifest.sig";
    /** Classpath folder of the models bundled with Argus. */
    public static final String BUNDLED = "/io/argus/models/bundled/";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** DJL parameters: tensors only. */
    private static final String PARAMS = ".params";
    /** NumPy arrays of plain numbers (a golden set's inputs): data, no code. */
    private static final String NUMPY = ".npy";
    /** TorchScript (a transfer model's frozen backbone): a program, so it needs a trusted location. */
    static final String TORCHSCRIPT = ".pt";

    private final ModelManifest manifest;
    private final Map<String, byte[]> files;
    private final String location;

    private ModelPackage(ModelManifest manifest, Map<String, byte[]> files, String location) {
        this.manifest = manifest;
        this.files = files;
        this.location = location;
    }

    /** Where a package's files are read from. */
    @FunctionalInterface
    public interface Source {
        /** The file's contents, or null if the package has no such file. */
        InputStream openOrNull(String file) throws IOException;

        static Source directory(Path dir) {
            return file -> {
                Path p = dir.resolve(file);
                return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Files.newInputStream(p) : null;
            };
        }

        static Source classpath(String folder) {
            return file -> ModelPackage.class.getResourceAsStream(folder + file);
        }
    }

    /** A new package of the weights alone: computes the checksum that goes into the manifest. */
    public static ModelPackage create(ModelManifest manifest, byte[] weights) {
        return create(manifest, Map.of(WEIGHTS, weights));
    }

    /** A new package of several files (weights plus, say, a frozen backbone). */
    public static ModelPackage create(ModelManifest manifest, Map<String, byte[]> contents) {
        Map<String, String> sums = new LinkedHashMap<>();
        Map<String, byte[]> copies = new LinkedHashMap<>();
        contents.forEach((name, data) -> {
            if (!PLAIN_NAME.matcher(name).matches() || !isAllowedType(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a plain file name ending in " + PARAMS
                        + ", " + NUMPY + " or " + TORCHSCRIPT);
            }
            sums.put(name, sha256(data));
            copies.put(name, data.clone());
        });
        if (!copies.containsKey(WEIGHTS)) {
            throw new IllegalArgumentException("a model package needs " + WEIGHTS);
        }
        return new ModelPackage(manifest.withFiles(sums), copies, manifest.id());
    }

    /** A package bundled with Argus, by name (e.g. {@code action-cnn-lstm}); trusted as the code is. */
    public static ModelPackage bundled(String name) throws IOException {
        return read(Source.classpath(BUNDLED + name + "/"), "bundled model " + name, ModelTrust.CALLER);
    }

    /**
     * A package in a directory the caller vouches for (a tool reading what it or its user wrote):
     * no location or signature requirement. The job reads with the trust its options configure.
     */
    public static ModelPackage read(Path dir) throws IOException {
        return read(dir, ModelTrust.CALLER);
    }

    /**
     * A package in a directory, checked against {@code trust}.
     *
     * @throws InvalidModelPackageException naming the package and what is wrong with it
     */
    public static ModelPackage read(Path dir, ModelTrust trust) throws IOException {
        String where = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelPackageException(where, "no such directory");
        }
        trust.checkLocation(dir);
        ModelPackage pkg = read(Source.directory(dir), where, trust);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InvalidModelPackageException(where, "'" + name + "' is not a plain file (a link or "
                            + "a directory); a package holds only its own files");
                }
                if (!name.equals(MANIFEST) && !name.equals(SIGNATURE) && !pkg.manifest.files().containsKey(name)) {
                    throw new InvalidModelPackageException(where, "unexpected file '" + name + "': the manifest "
                            + "does not list it");
                }
            }
        }
        return pkg;
    }

    /**
     * Reads and verifies a package.
     *
     * @throws InvalidModelPackageException naming the package and what is wrong with it
     */
    public static ModelPackage read(Source source, String where, ModelTrust trust) throws IOException {
        byte[] manifestBytes = readOrNull(source, MANIFEST);
        if (manifestBytes == null) {
            throw new InvalidModelPackageException(where, "no " + MANIFEST);
        }
        trust.checkSignature(where, manifestBytes, readOrNull(source, SIGNATURE));
        ModelManifest m;
        try {
            m = JSON.readValue(manifestBytes, ModelManifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidModelPackageException(where, "unreadable " + MANIFEST + ": " + e.getOriginalMessage());
        }
        if (m.format() != FORMAT) {
            throw new InvalidModelPackageException(where, "manifest format " + m.format() + ", expected " + FORMAT);
        }
        if (m.name() == null || m.version() == null || m.labels() == null || m.labels().isEmpty()
                || m.files() == null) {
            throw new InvalidModelPackageException(where, "manifest lacks name, version, labels or files");
        }
        for (String file : m.files().keySet()) {
            if (!PLAIN_NAME.matcher(file).matches()) {
                throw new InvalidModelPackageException(where, "file name '" + file + "' is not a plain file name");
            }
            if (file.endsWith(TORCHSCRIPT)) {
                trust.checkCode(where, file);
            } else if (!isAllowedType(file)) {
                throw new InvalidModelPackageException(where, "file '" + file + "' is neither DJL parameters ("
                        + PARAMS + "), a NumPy array (" + NUMPY + ") nor TorchScript (" + TORCHSCRIPT
                        + "), the only types a package may hold");
            }
        }
        if (!m.files().containsKey(WEIGHTS)) {
            throw new InvalidModelPackageException(where, "manifest lists no " + WEIGHTS);
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : m.files().entrySet()) {
            byte[] data = readOrNull(source, f.getKey());
            if (data == null) {
                throw new InvalidModelPackageException(where, "the manifest lists " + f.getKey() + " but it is missing");
            }
            String actual = sha256(data);
            if (!actual.equalsIgnoreCase(f.getValue())) {
                throw new InvalidModelPackageException(where,
                        f.getKey() + " has SHA-256 " + actual + " but the manifest says " + f.getValue());
            }
            if (f.getKey().endsWith(NUMPY)) {
                try {
                    NpyArray.parse(data);
                } catch (IllegalArgumentException e) {
                    throw new InvalidModelPackageException(where, f.getKey() + ": " + e.getMessage());
                }
            }
            contents.put(f.getKey(), data);
        }
        return new ModelPackage(m, contents, where);
    }

    private static boolean isAllowedType(String name) {
        return name.endsWith(PARAMS) || name.endsWith(NUMPY) || name.endsWith(TORCHSCRIPT);
    }

    private static byte[] readOrNull(Source source, String file) throws IOException {
        try (InputStream in = source.openOrNull(file)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Writes the package into a directory (created if needed). */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
    }

    /** The same files under another version (to publish a retrained or re-released model as new). */
    public ModelPackage withVersion(String version) {
        return new ModelPackage(manifest.withVersion(version), files, location);
    }

    /**
     * The same package with {@code golden} and its inputs added (replacing any golden set it had):
     * the inputs become the file {@code golden.file()}, checksummed in the new manifest. A
     * signature of the old manifest no longer fits: sign again.
     */
    public ModelPackage withGolden(GoldenSet golden, NpyArray inputs) {
        Map<String, byte[]> contents = new LinkedHashMap<>(files);
        if (manifest.golden() != null) {
            contents.remove(manifest.golden().file());
        }
        contents.put(golden.file(), inputs.toBytes());
        ModelPackage pkg = create(manifest.withGolden(golden), contents);
        return new ModelPackage(pkg.manifest, pkg.files, location);
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * Where the package was read from, as refusals name it: its directory, {@code REGISTRY/NAME@VERSION},
     * {@code bundled model NAME}, or its id for a package made in memory.
     */
    public String location() {
        return location;
    }

    /** The names of the files the package holds (the manifest lists them). */
    public Set<String> fileNames() {
        return Collections.unmodifiableSet(files.keySet());
    }

    public byte[] weights() {
        return file(WEIGHTS);
    }

    /** The bytes of one of the package's files. */
    public byte[] file(String name) {
        byte[] data = files.get(name);
        if (data == null) {
            throw new IllegalArgumentException("model package " + manifest.id() + " holds no " + name);
        }
        return data.clone();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
