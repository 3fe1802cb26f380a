package io.argus.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A standalone Flink session cluster on this machine, one JVM per role, started as Flink's scripts
 * start one: {@code BashJavaUtils} derives each daemon's JVM memory flags from {@code config.yaml},
 * then {@code StandaloneSessionClusterEntrypoint} and {@code TaskManagerRunner} run with
 * {@code --configDir}, and {@link #flink} runs the command line client ({@code CliFrontend}) with
 * {@code FLINK_CONF_DIR}. No Flink distribution is published to Maven Central, so the classpath
 * of all three is the one the build writes from the tests' {@code provided} dependencies, the
 * equivalent of a distribution's {@code lib/}. Configuration, logs and temporary files live in
 * one folder.
 */
final class LocalFlinkCluster implements AutoCloseable {

    /** System property naming the file with the cluster's classpath (written by the build). */
    static final String CLASSPATH_FILE = "argus.flink.cluster.classpath";

    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String CLIENT = "org.apache.flink.client.cli.CliFrontend";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String BASH_JAVA_UTILS_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLASS_LOADING_ERROR =
            Pattern.compile("LinkageError|ClassNotFoundException|NoClassDefFoundError|loader constraint");
    /** Integrations Flink probes for and reports missing in any distribution that lacks them. */
    private static final List<String> OPTIONAL_INTEGRATIONS =
            List.of("org.apache.hadoop", "org/apache/hadoop", "org.apache.flink.yarn");

    private final Path dir;
    private final String classpath;
    private final List<String> jvmFlags;
    private final Map<String, String> env;
    private final int restPort;
    private final List<FlinkJvm> jvms = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalFlinkCluster(Path dir, int restPort, List<Path> lib) {
        this.dir = dir;
        this.restPort = restPort;
        this.classpath = Stream.concat(classpath().stream(), lib.stream()).map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        this.jvmFlags = jvmFlags();
        this.env = Map.of("FLINK_CONF_DIR", dir.resolve("conf").toString(),
                "FLINK_PLUGINS_DIR", dir.resolve("plugins").toString());
        // should the test JVM be stopped before close() (Ctrl-C), the cluster's JVMs must not outlive it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> jvms.forEach(FlinkJvm::kill)));
    }

    /**
     * Writes the configuration into {@code dir} and starts a JobManager and a TaskManager with two
     * slots; {@link #awaitTaskManager} waits until they have found each other.
     */
    static LocalFlinkCluster start(Path folder) throws IOException, InterruptedException {
        return start(folder, List.of(), List.of());
    }

    /**
     * As {@link #start(Path)}, with more jars on the daemons' classpath (as in a distribution's
     * {@code lib/}) and more lines of configuration.
     */
    static LocalFlinkCluster start(Path folder, List<Path> lib, List<String> config)
            throws IOException, InterruptedException {
        Path dir = folder.toAbsolutePath();
        for (String sub : List.of("conf", "plugins", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        LocalFlinkCluster cluster = new LocalFlinkCluster(dir, freePort(), lib);
        Files.writeString(dir.resolve("conf").resolve("config.yaml"),
                cluster.config(freePort()) + String.join("\n", config) + "\n");
        try {
            cluster.startDaemon("jobmanager", "GET_JM_RESOURCE_PARAMS", JOB_MANAGER);
            cluster.startDaemon("taskmanager", "GET_TM_RESOURCE_PARAMS", TASK_MANAGER);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The jars (or folders) on the cluster's classpath, as the build listed them. */
    static List<Path> classpath() {
        String file = System.getProperty(CLASSPATH_FILE);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("no Flink cluster classpath file (system property " + CLASSPATH_FILE
                    + " = " + file + "); run the end-to-end tests through Maven (mvn verify), whose "
                    + "generate-test-resources phase writes it");
        }
        try {
            String entries = Files.readString(Path.of(file)).trim();
            return Arrays.stream(entries.split(File.pathSeparator)).map(Path::of).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Flink cluster classpath file " + file, e);
        }
    }

    /** Polls the REST API until a TaskManager has registered; fails early if a daemon exits. */
    void awaitTaskManager(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (rest("/taskmanagers").path("taskmanagers").isEmpty()) {
            for (FlinkJvm jvm : jvms) {
                if (!jvm.isAlive()) {
                    throw new IllegalStateException("the " + jvm.name + " exited with code " + jvm.exitCode()
                            + " before the cluster was up; its log says why:\n" + diagnostics());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no TaskManager registered at " + restUrl("/taskmanagers")
                        + " within " + timeout + "; the logs so far:\n" + diagnostics());
            }
            jvms.get(0).awaitExit(POLL); // the poll interval, cut short should the JobManager die
        }
    }

    /**
     * Runs the {@code flink} command line client with {@code args} (say {@code run job.jar ...}) and
     * waits for it; returns its exit code. In attached mode that is after the job has ended.
     */
    int flink(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> clientJvm = Stream.concat(Stream.of("-Xmx512m"), jvmFlags.stream()).toList();
        FlinkJvm client = FlinkJvm.start("client", dir, classpath, clientJvm, CLIENT, List.of(args), env);
        jvms.add(client);
        if (!client.awaitExit(timeout)) {
            client.close();
            throw new IllegalStateException("flink " + String.join(" ", args) + " did not end within " + timeout
                    + "; the logs:\n" + diagnostics());
        }
        return client.exitCode();
    }

    /** The JobManager's REST endpoint, host:port (what {@code flink run -m} takes). */
    String restAddress() {
        return "localhost:" + restPort;
    }

    /** Names of the jobs the cluster lists in {@code state} (FINISHED, FAILED, RUNNING, ...). */
    List<String> jobs(String state) {
        return StreamSupport.stream(rest("/jobs/overview").path("jobs").spliterator(), false)
                .filter(job -> job.path("state").asText().equals(state))
                .map(job -> job.path("name").asText())
                .toList();
    }

    /** Lines of any of the JVMs' logs that report a class that could not be found or linked. */
    List<String> classLoadingErrors() {
        return jvms.stream()
                .flatMap(jvm -> jvm.linesMatching(CLASS_LOADING_ERROR).stream().map(line -> jvm.name + ": " + line))
                .filter(line -> OPTIONAL_INTEGRATIONS.stream().noneMatch(line::contains))
                .toList();
    }

    /**
     * For assertion messages: the records each task read and wrote in every job the cluster knows
     * (where data stopped), then the end of every JVM's log.
     */
    String diagnostics() {
        StringBuilder out = new StringBuilder();
        try {
            for (JsonNode job : rest("/jobs/overview").path("jobs")) {
                out.append("---- job ").append(job.path("name").asText()).append(' ').append(job.path("state").asText())
                        .append(", records read/written per task:\n");
                for (JsonNode v : rest("/jobs/" + job.path("jid").asText()).path("vertices")) {
                    JsonNode m = v.path("metrics");
                    out.append(String.format("  %-60s %8d %8d%n", v.path("name").asText(),
                            m.path("read-records").asLong(), m.path("write-records").asLong()));
                }
            }
        } catch (RuntimeException e) {
            out.append("---- the REST API did not answer: ").append(e).append('\n');
        }
        jvms.forEach(jvm -> out.append(jvm.tail(40)));
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = jvms.size() - 1; i >= 0; i--) {
            jvms.get(i).close();
        }
    }

    private String config(int rpcPort) {
        return String.join("\n",
                "# A standalone session cluster on loopback, small enough for a 2-core CI machine.",
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: localhost",
                "jobmanager.memory.process.size: 1g",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + restPort,
                "taskmanager.host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.numberOfTaskSlots: 2",
                "taskmanager.memory.process.size: 2g",
                "taskmanager.memory.managed.size: 128m",
                "io.tmp.dirs: '" + dir.resolve("tmp") + "'",
                "");
    }

    /** Starts a daemon as {@code jobmanager.sh} or {@code taskmanager.sh} would. */
    private void startDaemon(String name, String memoryCommand, String mainClass)
            throws IOException, InterruptedException {
        List<String> memory = memorySettings(name, memoryCommand);
        List<String> jvmArgs = Stream.concat(words(memory.get(0)).stream(), jvmFlags.stream()).toList();
        List<String> args = Stream.concat(Stream.of("--configDir", dir.resolve("conf").toString()),
                words(memory.get(1)).stream()).toList();
        jvms.add(FlinkJvm.start(name, dir, classpath, jvmArgs, mainClass, args, env));
    }

    /**
     * What the scripts ask {@code BashJavaUtils} before starting a daemon: its JVM memory flags and
     * the memory settings derived from the configuration ({@code -D key=value ...}), which
     * TaskManagerRunner requires to be given explicitly.
     */
    private List<String> memorySettings(String name, String command) throws IOException, InterruptedException {
        try (FlinkJvm utils = FlinkJvm.start(name + "-memory", dir, classpath, List.of(), BASH_JAVA_UTILS,
                List.of(command, "--configDir", dir.resolve("conf").toString()), env)) {
            boolean ok = utils.awaitExit(Duration.ofSeconds(60)) && utils.exitCode() == 0;
            List<String> results = utils.lines().stream().filter(l -> l.startsWith(BASH_JAVA_UTILS_RESULT))
                    .map(l -> l.substring(BASH_JAVA_UTILS_RESULT.length())).toList();
            if (!ok || results.size() < 2) {
                throw new IllegalStateException("Flink cannot derive the " + name + "'s memory settings from "
                        + dir.resolve("conf") + "; fix config.yaml:\n" + utils.tail(40));
            }
            return results.subList(results.size() - 2, results.size());
        }
    }

    /** The JVM flags every Argus process needs (see the root pom), and logging for the log files. */
    private static List<String> jvmFlags() {
        String opens = System.getProperty("argus.jvm.opens", "").trim();
        if (opens.isEmpty()) {
            throw new IllegalStateException("system property argus.jvm.opens (the root pom's JVM flags) is not set; "
                    + "run the end-to-end tests through Maven (mvn verify)");
        }
        List<String> flags = new ArrayList<>(words(opens));
        flags.addAll(List.of("-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn"));
        return flags;
    }

    private JsonNode rest(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl(path))).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode(); // not listening (yet): callers see no task managers, no jobs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + restUrl(path), e);
        }
    }

    private String restUrl(String path) {
        return "http://localhost:" + restPort + path;
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
