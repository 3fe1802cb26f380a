package io.argus.jobs.models;

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
import java.util.List;
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
 * </pre>
 *
 * Published versions are never overwritten. Jobs serving {@code registry:NAME} read
 * {@code SERVING} every poll interval and swap to what it names (see {@code BatchClassifyOperator});
 * it is replaced by writing a new file and renaming it over the old. Whoever can write the
 * registry decides what runs on the cluster: keep it as closed as the job jar.
 */
public final class ModelRegistry {

    public static final String SERVING = "SERVING";
    public static final String HISTORY = "HISTORY";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final Path root;

    public ModelRegistry(String uri) {
        this.root = new Path(uri);
    }

    public String uri() {
        return root.toString();
    }

    /** Copies a verified package directory in as NAME/VERSION (from its manifest); returns {@code name@version}. */
    public String publish(java.nio.file.Path packageDir) throws IOException {
        ModelManifest m = ModelPackage.read(packageDir).manifest();
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
        Path pointer = new Path(new Path(root, name), SERVING);
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

    /** Every promotion of a model, oldest first. */
    public List<String> history(String name) throws IOException {
        Path file = new Path(new Path(root, name), HISTORY);
        if (!file.getFileSystem().exists(file)) {
            return List.of();
        }
        return read(file).lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * Makes {@code version} the one jobs serve. With {@code verify}, the package must read back
     * intact (checksums, names, types) first; without, a broken one is left to the jobs to refuse.
     */
    public void promote(String name, String version, boolean verify) throws IOException {
        Path dir = new Path(new Path(root, name), version);
        if (!dir.getFileSystem().exists(dir)) {
            throw new IllegalArgumentException(name + "@" + version + " is not published in " + root + "; versions: "
                    + versions(name));
        }
        if (verify) {
            read(name, version, ModelTrust.CALLER);
        }
        List<String> history = new ArrayList<>(history(name));
        history.add(version);
        replace(new Path(new Path(root, name), HISTORY), String.join("\n", history) + "\n");
        replace(new Path(new Path(root, name), SERVING), version + "\n");
    }

    /** Serves the version promoted before the current one again; returns it. */
    public String rollback(String name) throws IOException {
        String current = serving(name).orElseThrow(() -> new IllegalArgumentException(name + " serves no version"));
        List<String> history = history(name);
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!history.get(i).equals(current)) {
                promote(name, history.get(i), true);
                return history.get(i);
            }
        }
        throw new IllegalArgumentException(name + " has no earlier version to roll back to (history: " + history + ")");
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
