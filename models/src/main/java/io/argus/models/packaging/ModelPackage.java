package io.argus.models.packaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A model as it is stored and shipped: {@value #MANIFEST} plus the weights file
 * {@value #WEIGHTS}, in a directory or on the classpath. Reading verifies every file against the
 * SHA-256 in the manifest and refuses file names that could point outside the package.
 */
public final class ModelPackage {

    public static final int FORMAT = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String WEIGHTS = "weights.params";
    /** Classpath folder of the models bundled with Argus. */
    public static final String BUNDLED = "/io/argus/models/bundled/";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final ModelManifest manifest;
    private final Map<String, byte[]> files;

    private ModelPackage(ModelManifest manifest, Map<String, byte[]> files) {
        this.manifest = manifest;
        this.files = files;
    }

    /** Where a package's files are read from. */
    @FunctionalInterface
    public interface Source {
        InputStream open(String file) throws IOException;

        static Source directory(Path dir) {
            return file -> Files.newInputStream(dir.resolve(file));
        }

        static Source classpath(String folder) {
            return file -> {
                InputStream in = ModelPackage.class.getResourceAsStream(folder + file);
                if (in == null) {
                    throw new IOException("no " + file + " in bundled package " + folder);
                }
                return in;
            };
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
            if (!PLAIN_NAME.matcher(name).matches() || name.equals(MANIFEST)) {
                throw new IllegalArgumentException("'" + name + "' is not a plain file name");
            }
            sums.put(name, sha256(data));
            copies.put(name, data.clone());
        });
        if (!copies.containsKey(WEIGHTS)) {
            throw new IllegalArgumentException("a model package needs " + WEIGHTS);
        }
        return new ModelPackage(manifest.withFiles(sums), copies);
    }

    /** A package bundled with Argus, by name (e.g. {@code action-cnn-lstm}). */
    public static ModelPackage bundled(String name) throws IOException {
        return read(Source.classpath(BUNDLED + name + "/"), "bundled model " + name);
    }

    /** A package in a directory. */
    public static ModelPackage read(Path dir) throws IOException {
        return read(Source.directory(dir), dir.toString());
    }

    /**
     * Reads and verifies a package.
     *
     * @throws InvalidModelPackageException naming the package and what is wrong with it
     */
    public static ModelPackage read(Source source, String where) throws IOException {
        ModelManifest m;
        try (InputStream in = source.open(MANIFEST)) {
            m = JSON.readValue(in, ModelManifest.class);
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
            if (!PLAIN_NAME.matcher(file).matches() || file.equals(MANIFEST)) {
                throw new InvalidModelPackageException(where, "file name '" + file + "' is not a plain file name");
            }
        }
        if (!m.files().containsKey(WEIGHTS)) {
            throw new InvalidModelPackageException(where, "manifest lists no " + WEIGHTS);
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : m.files().entrySet()) {
            byte[] data;
            try (InputStream in = source.open(f.getKey())) {
                data = in.readAllBytes();
            }
            String actual = sha256(data);
            if (!actual.equalsIgnoreCase(f.getValue())) {
                throw new InvalidModelPackageException(where,
                        f.getKey() + " has SHA-256 " + actual + " but the manifest says " + f.getValue());
            }
            contents.put(f.getKey(), data);
        }
        return new ModelPackage(m, contents);
    }

    /** Writes the package into a directory (created if needed). */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
    }

    public ModelManifest manifest() {
        return manifest;
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
