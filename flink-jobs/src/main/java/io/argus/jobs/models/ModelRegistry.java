package io.argus.jobs.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.models.admission.ModelAdmission;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelManifest;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.ModelTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Versions of model packages and which one serves, on any of Flink's file systems (a local path
 * by default; {@code s3://}, {@code hdfs://} with their Flink plugins on a cluster):
 *
 * <pre>
 * ROOT/NAME/VERSION/manifest.json, weights.params, ...   one published package per version
 * ROOT/NAME/SERVING                                      the version jobs serve (one line)
 * ROOT/NAME/HISTORY                                      every promotion, oldest first
 * ROOT/NAME/SHADOW                                       the version jobs run as a shadow (one line; absent: none)
 * ROOT/NAME/VERSION.refused                              a version that must not serve, and why (JSON)
 * </pre>
 *
 * Published versions are never overwritten. Jobs serving {@code registry:NAME} read
 * {@code SERVING} every poll interval and swap to what it names (see {@code BatchClassifyOperator});
 * it is replaced by writing a new file and renaming it over the old. Publishing, promoting and
 * rolling back admit the package first ({@link ModelAdmission}, with the trust settings the jobs
 * use); a version refused by a job (or by promote) gets a refusal marker, which jobs and rollback
 * honour: rollback goes to the latest earlier promotion without one. Whoever can write the registry
 * decides what runs on the cluster: keep it as closed as the job jar.
 */
public final class ModelRegistry {

    public static final String SERVING = "SERVING";
    public static final String HISTORY = "HISTORY";
    public static final String SHADOW = "SHADOW";
    /** Suffix of a version's refusal marker, beside its directory. */
    public static final String REFUSED = ".refused";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a version stands, as {@code argus models list} shows it. */
    public enum State {
        /** {@code SERVING} names it and nothing refused it. */
        SERVING,
        /** A job or a tool refused it: it never serves again (see {@link Refusal}). */
        REFUSED,
        /** Promoted once, served no longer. */
        RETIRED,
        /** Published, never promoted. */
        PUBLISHED
    }

    /** Why a version must not serve, who found out and when. */
    public record Refusal(String reason, String by, long atMs) {}

    /** A version and where it stands; {@code refusal} is set for {@link State#REFUSED}. */
    public record VersionState(String version, State state, Refusal refusal) {}

    private final Path root;

    public ModelRegistry(String uri) {
        this.root = new Path(uri);
    }

    public String uri() {
        return root.toString();
    }

    /** Publishes a package the caller vouches for (tests, tools); see {@link #publish(java.nio.file.Path, ModelTrust)}. */
    public String publish(java.nio.file.Path packageDir) throws IOException {
        return publish(packageDir, ModelTrust.CALLER);
    }

    /**
     * Copies a package directory in as NAME/VERSION (from its manifest) once it is admitted as a job
     * configured with {@code trust} would admit it from the registry (checksums, files, signature,
     * then its golden set); returns {@code name@version}.
     *
     * @throws InvalidModelPackageException why a job would refuse it; nothing is published
     */
    public String publish(java.nio.file.Path packageDir, ModelTrust trust) throws IOException {
        ModelPackage pkg = ModelPackage.read(packageDir, trust.trustingLocation());
        ModelAdmission.check(pkg);
        ModelManifest m = pkg.manifest();
        checkPlain(m.name(), "model name");
        checkPlain(m.version(), "version");
        Path target = new Path(new Path(root, m.name()), m.version());
        FileSystem fs = target.getFileSystem();
        if (fs.exists(target)) {
            throw new IllegalArgumentException(m.id() + " is already published in " + root + "; publish a new version");
        }
        Path staging = new Path(new Path(root, m.name()), "." + m.version() + ".publishing-" + UUID.randomUUID());
        fs.mkdirs(staging);
        try (var files = java.nio.file.Files.list(packageDir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                try (OutputStream out = fs.create(new Path(staging, f.getFileName().toString()), WriteMode.NO_OVERWRITE)) {
                    java.nio.file.Files.copy(f, out);
                }
            }
        }
        if (!fs.rename(staging, target)) {
            fs.delete(staging, true);
            throw new IOException("could not move " + staging + " to " + target);
        }
        return m.id();
    }

    /** Model names, sorted. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            return names;
        }
        for (FileStatus s : fs.listStatus(root)) {
            if (s.isDir() && PLAIN.matcher(s.getPath().getName()).matches() && !s.getPath().getName().startsWith(".")) {
                names.add(s.getPath().getName());
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** Published versions of a model, in version order (numeric parts compared as numbers). */
    public List<String> versions(String name) throws IOException {
        Path dir = new Path(root, name);
        FileSystem fs = dir.getFileSystem();
        List<String> versions = new ArrayList<>();
        if (!fs.exists(dir)) {
            return versions;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String v = s.getPath().getName();
            if (s.isDir() && !v.startsWith(".")) {
                versions.add(v);
            }
        }
        versions.sort(ModelRegistry::compareVersions);
        return versions;
    }

    /** The version jobs serve, if one was promoted. */
    public Optional<String> serving(String name) throws IOException {
        return pointer(name, SERVING);
    }

    /** The version jobs run as a shadow beside the serving one, if one was started. */
    public Optional<String> shadow(String name) throws IOException {
        return pointer(name, SHADOW);
    }

    /** The version a pointer file of the model ({@code SERVING}, {@code SHADOW}) names, if it exists. */
    private Optional<String> pointer(String name, String file) throws IOException {
        Path pointer = new Path(new Path(root, name), file);
        FileSystem fs = pointer.getFileSystem();
        if (!fs.exists(pointer)) {
            return Optional.empty();
        }
        String v = read(pointer).trim();
        if (!PLAIN.matcher(v).matches()) {
            throw new IOException(pointer + " does not name a version: '" + v + "'");
        }
        return Optional.of(v);
    }

    /**
     * Makes {@code version} the shadow of {@code name}: every job serving {@code registry:NAME} loads it
     * beside the serving version, checked as a candidate to serve is, and classifies the same windows
     * with it. It must be admitted here as {@link #promote(String, String, ModelTrust)} admits, not be
     * refused and not be the version serving.
     *
     * @throws InvalidModelPackageException why a job would refuse it; it gets a refusal marker
     */
    public ModelAdmission.Verdict startShadow(String name, String version, ModelTrust trust) throws IOException {
        requirePublished(name, version);
        Optional<Refusal> earlier = refusal(name, version);
        if (earlier.isPresent()) {
            throw new IllegalArgumentException(name + "@" + version + " was refused (" + earlier.get().by() + "): "
                    + earlier.get().reason() + "; publish a corrected version instead");
        }
        if (version.equals(serving(name).orElse(null))) {
            throw new IllegalArgumentException(name + "@" + version + " is the version serving; a shadow is another "
                    + "version");
        }
        ModelAdmission.Verdict verdict = admit(name, version, trust, "argus models shadow");
        replace(new Path(new Path(root, name), SHADOW), version + "\n");
        return verdict;
    }

    /** Stops the shadow of {@code name}, if any; returns the version that ran as one. */
    public Optional<String> stopShadow(String name) throws IOException {
        Optional<String> was = shadow(name);
        Path pointer = new Path(new Path(root, name), SHADOW);
        if (was.isPresent() && !pointer.getFileSystem().delete(pointer, false)) {
            throw new IOException("could not delete " + pointer);
        }
        return was;
    }

    /** Every promotion of a model, oldest first. */
    public List<String> history(String name) throws IOException {
        Path file = new Path(new Path(root, name), HISTORY);
        if (!file.getFileSystem().exists(file)) {
            return List.of();
        }
        return read(file).lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * Makes {@code version} the one jobs serve. With {@code verify}, it must be admitted as by
     * {@link #promote(String, String, ModelTrust)} with the caller's trust; without, a broken one is
     * left to the jobs to refuse (tests of exactly that).
     */
    public void promote(String name, String version, boolean verify) throws IOException {
        if (verify) {
            promote(name, version, ModelTrust.CALLER);
        } else {
            requirePublished(name, version);
            serve(name, version);
        }
    }

    /**
     * Makes {@code version} the one jobs serve, once it is admitted as a job configured with
     * {@code trust} would admit it (checksums, files, signature, golden set) and no job refused it.
     * A version admission refuses gets a refusal marker, like one a job refuses.
     *
     * @throws InvalidModelPackageException why a job would refuse it; nothing changes but the marker
     * @throws IllegalArgumentException when it is not published or was refused before
     */
    public ModelAdmission.Verdict promote(String name, String version, ModelTrust trust) throws IOException {
        requirePublished(name, version);
        Optional<Refusal> earlier = refusal(name, version);
        if (earlier.isPresent()) {
            throw new IllegalArgumentException(name + "@" + version + " was refused (" + earlier.get().by() + "): "
                    + earlier.get().reason() + "; publish a corrected version instead");
        }
        ModelAdmission.Verdict verdict = admit(name, version, trust, "argus models promote");
        serve(name, version);
        return verdict;
    }

    /** Reads and admits a published version; a refused one gets its marker (written by {@code by}). */
    private ModelAdmission.Verdict admit(String name, String version, ModelTrust trust, String by)
            throws IOException {
        ModelPackage pkg = read(name, version, trust);
        try {
            return ModelAdmission.check(pkg);
        } catch (InvalidModelPackageException e) {
            refuse(name, version, e.getMessage(), by);
            throw e;
        }
    }

    private void requirePublished(String name, String version) throws IOException {
        checkPlain(version, "version");
        Path dir = new Path(new Path(root, name), version);
        if (!dir.getFileSystem().exists(dir)) {
            throw new IllegalArgumentException(name + "@" + version + " is not published in " + root + "; versions: "
                    + versions(name));
        }
    }

    /** Writes the promotion: HISTORY gains the version, SERVING names it; a shadow of that version stops. */
    private void serve(String name, String version) throws IOException {
        List<String> history = new ArrayList<>(history(name));
        history.add(version);
        replace(new Path(new Path(root, name), HISTORY), String.join("\n", history) + "\n");
        replace(new Path(new Path(root, name), SERVING), version + "\n");
        if (version.equals(shadow(name).orElse(null))) {
            stopShadow(name);
        }
    }

    /** Rolls back with the caller's trust; see {@link #rollback(String, ModelTrust)}. */
    public String rollback(String name) throws IOException {
        return rollback(name, ModelTrust.CALLER);
    }

    /**
     * Serves the last version that served cleanly again: the latest promotion before the current
     * version that no job refused and that is admitted now (one that is not gets its marker, and
     * the one before it is tried); returns it.
     */
    public String rollback(String name, ModelTrust trust) throws IOException {
        String current = serving(name).orElseThrow(() -> new IllegalArgumentException(name + " serves no version"));
        List<String> tried = new ArrayList<>();
        for (String v : lastGood(name)) {
            if (v.equals(current)) {
                continue;
            }
            try {
                admit(name, v, trust, "argus models rollback");
            } catch (InvalidModelPackageException e) {
                tried.add(v + " (" + e.getMessage() + ")");
                continue;
            }
            serve(name, v);
            return v;
        }
        throw new IllegalArgumentException(name + " has no earlier version that served cleanly to roll back to "
                + "(history: " + history(name) + (tried.isEmpty() ? "" : "; refused now: " + tried) + ")");
    }

    /** Promoted versions no job refused, the latest promotion first (each once). */
    public List<String> lastGood(String name) throws IOException {
        List<String> history = history(name);
        List<String> good = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            String v = history.get(i);
            if (!good.contains(v) && refusal(name, v).isEmpty()) {
                good.add(v);
            }
        }
        return good;
    }

    /**
     * Records that {@code version} must not serve: jobs pass it over for the last good version,
     * promote refuses it, rollback skips it. Written by the jobs' loaders and by the tools.
     */
    public void refuse(String name, String version, String reason, String by) throws IOException {
        checkPlain(version, "version");
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("version", version);
        marker.put("reason", reason);
        marker.put("by", by);
        marker.put("at", System.currentTimeMillis());
        replace(marker(name, version), JSON.writeValueAsString(marker) + "\n");
    }

    /** Why {@code version} was refused, if it was. */
    public Optional<Refusal> refusal(String name, String version) throws IOException {
        Path marker = marker(name, version);
        if (!marker.getFileSystem().exists(marker)) {
            return Optional.empty();
        }
        JsonNode n = JSON.readTree(read(marker));
        return Optional.of(new Refusal(n.path("reason").asText(), n.path("by").asText(), n.path("at").asLong()));
    }

    /** Every published version of a model with where it stands, in version order. */
    public List<VersionState> states(String name) throws IOException {
        String current = serving(name).orElse(null);
        List<String> history = history(name);
        List<VersionState> states = new ArrayList<>();
        for (String v : versions(name)) {
            Optional<Refusal> refused = refusal(name, v);
            State state = refused.isPresent() ? State.REFUSED : v.equals(current) ? State.SERVING
                    : history.contains(v) ? State.RETIRED : State.PUBLISHED;
            states.add(new VersionState(v, state, refused.orElse(null)));
        }
        return states;
    }

    private Path marker(String name, String version) {
        return new Path(new Path(root, name), version + REFUSED);
    }

    /**
     * Reads and verifies a published package as {@link ModelPackage#read(java.nio.file.Path, ModelTrust)}
     * does a directory: only the files its manifest lists, its manifest and its signature. The
     * registry is a configured, trusted location, so TorchScript is accepted from it; a signature
     * is still required when {@code trust} names a key.
     */
    public ModelPackage read(String name, String version, ModelTrust trust) throws IOException {
        Path dir = new Path(new Path(root, name), version);
        FileSystem fs = dir.getFileSystem();
        String where = root + "/" + name + "@" + version;
        if (!fs.exists(dir)) {
            throw new InvalidModelPackageException(where, "not published");
        }
        ModelPackage pkg = ModelPackage.read(file -> {
            Path p = new Path(dir, file);
            return fs.exists(p) ? fs.open(p) : null;
        }, where, trust.trustingLocation());
        Set<String> allowed = new HashSet<>(pkg.manifest().files().keySet());
        allowed.add(ModelPackage.MANIFEST);
        allowed.add(ModelPackage.SIGNATURE);
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDir() || !allowed.contains(s.getPath().getName())) {
                throw new InvalidModelPackageException(where, "unexpected " + (s.isDir() ? "directory" : "file")
                        + " '" + s.getPath().getName() + "': the manifest does not list it");
            }
        }
        if (!name.equals(pkg.manifest().name()) || !version.equals(pkg.manifest().version())) {
            throw new InvalidModelPackageException(where, "its manifest says " + pkg.manifest().id());
        }
        return pkg;
    }

    private static void replace(Path file, String content) throws IOException {
        FileSystem fs = file.getFileSystem();
        Path tmp = new Path(file.getParent(), "." + file.getName() + "-" + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, WriteMode.NO_OVERWRITE)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(tmp, file)) {
            fs.delete(tmp, false);
            throw new IOException("could not replace " + file);
        }
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = file.getFileSystem().open(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void checkPlain(String s, String what) {
        if (s == null || !PLAIN.matcher(s).matches() || s.startsWith(".")) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a plain name ([A-Za-z0-9._-], not starting "
                    + "with a dot)");
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
