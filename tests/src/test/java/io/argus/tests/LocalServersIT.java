package io.argus.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.argus.jobs.AnalyticsJob;
import io.argus.jobs.AnalyticsPipeline;
import io.argus.jobs.config.AudioOptions;
import io.argus.jobs.config.JobOptions;
import io.argus.jobs.config.VideoOptions;
import io.argus.testkit.EmbeddedKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The servers of a job run in this process ({@code argus job}, demo, evaluate, benchmark): its REST
 * endpoint, which can cancel the job, and its blob server listen on loopback unless told
 * otherwise. The test lists the sockets this JVM listens on (Linux's {@code /proc}) before and
 * while the job runs.
 */
class LocalServersIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to list listening sockets");
        kafka = EmbeddedKafka.start();
        Fixtures.createTopics(kafka);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theRestEndpointAndBlobServerListenOnLoopbackByDefault() throws Exception {
        Servers servers = serversOfARunningJob(new Configuration());
        assertThat(servers.listening()).as("sockets the job's cluster listens on").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).as("%s is loopback", a).isTrue());
        assertThat(servers.rest()).as("the REST endpoint, answering on 127.0.0.1").isNotNull();
    }

    @Test
    void anOptionExposesThemOnEveryInterface() throws Exception {
        Configuration exposed = new Configuration();
        exposed.set(JobOptions.LOCAL_BIND_ADDRESS, "0.0.0.0");
        Servers servers = serversOfARunningJob(exposed);
        assertThat(servers.rest()).isNotNull();
        assertThat(servers.listening()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(a -> assertThat(a.getAddress().isAnyLocalAddress()).as("%s is the wildcard", a).isTrue());
    }

    /** What listens while a job runs: every new socket, and the one among them that answers REST calls. */
    private record Servers(Set<InetSocketAddress> listening, InetSocketAddress rest) {}

    /** The sockets that start listening when an (idle, unbounded) Argus job starts on a local environment. */
    private static Servers serversOfARunningJob(Configuration options) throws Exception {
        Configuration conf = Fixtures.jobConfig(kafka);
        conf.set(JobOptions.BOUNDED, false);
        conf.set(VideoOptions.ACTION_MODEL, "motion-energy");
        conf.set(AudioOptions.MODEL, "loudness");
        conf.addAll(options);
        Set<InetSocketAddress> before = listening();
        StreamExecutionEnvironment env = AnalyticsJob.localEnvironment(1, conf);
        new AnalyticsPipeline(conf).build(env);
        // the MiniCluster has started its servers by the time it has accepted the job
        JobClient job = env.executeAsync("local-servers");
        try {
            assertThat(job.getJobStatus().get()).isNotIn(JobStatus.FAILED, JobStatus.CANCELED);
            Set<InetSocketAddress> servers = listening();
            servers.removeAll(before);
            return new Servers(servers, servers.stream().filter(LocalServersIT::restAnswers).findFirst().orElse(null));
        } finally {
            job.cancel().get();
        }
    }

    private static boolean restAnswers(InetSocketAddress a) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/config"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("flink-version");
        } catch (IOException e) {
            return false; // the blob server speaks no HTTP
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** TCP sockets this process listens on: its socket inodes, looked up in /proc/net/tcp and tcp6. */
    private static Set<InetSocketAddress> listening() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed since it was listed
                }
            }
        }
        Set<InetSocketAddress> out = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            // read once: the table lists the sockets of every process on the machine and changes between reads
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // state LISTEN, our socket
                    out.add(address(f[1]));
                }
            }
        }
        return out;
    }

    /** {@code 0100007F:1F90} (IPv4) or 32 hex digits and a port (IPv6), each 32-bit word little-endian. */
    private static InetSocketAddress address(String hex) throws IOException {
        String[] hostPort = hex.split(":");
        String h = hostPort[0];
        byte[] ip = new byte[h.length() / 2];
        for (int word = 0; word < ip.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                ip[word * 4 + b] = (byte) Integer.parseInt(h.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(ip), Integer.parseInt(hostPort[1], 16));
    }
}
