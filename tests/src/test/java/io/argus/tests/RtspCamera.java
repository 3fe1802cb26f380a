package io.argus.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An RTSP camera on loopback: Debian's {@code rtsp-server-perl} (RTSP::Server) with the ffmpeg
 * command line publishing a clip to it in a loop at its own pace (ANNOUNCE and RECORD, H.264
 * copied, AAC sound), which it serves to players at {@link #url()} (DESCRIBE, SETUP, PLAY; RTP and
 * RTCP over UDP, the only transport it carries). {@link #kill()} ends both with SIGKILL, as a power
 * cut; {@link #start()} brings them back on the same ports.
 */
final class RtspCamera implements AutoCloseable {

    /** The server's command, where Debian's package puts it. */
    static final Path SERVER = Path.of("/usr/bin/rtsp-server-perl");
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(30);
    /** UDP ports the server takes for RTP and RTCP, two per stream and SETUP, counted from its start port. */
    private static final int RTP_PORTS = 32;

    private final Path clip;
    private final Path log;
    private final int clientPort = freeTcpPort();
    private final int sourcePort = freeTcpPort();
    private final int rtpStartPort = freeUdpRange(RTP_PORTS);
    private Process server;
    private Process publisher;

    RtspCamera(Path clip, Path log) {
        this.clip = clip;
        this.log = log;
    }

    /** Whether the server is installed (Debian: {@code apt-get install rtsp-server-perl}). */
    static boolean installed() {
        return Files.isExecutable(SERVER);
    }

    /** Where players read the camera. */
    String url() {
        return "rtsp://127.0.0.1:" + clientPort + "/cam";
    }

    /** Starts the server, waits until it accepts publishers, then starts publishing the clip. */
    RtspCamera start() throws IOException {
        server = new ProcessBuilder(SERVER.toString(), "--clientport", Integer.toString(clientPort), "--serverport",
                Integer.toString(sourcePort), "--client_listen_address", "127.0.0.1", "--source_listen_address",
                "127.0.0.1", "--rtp_start_port", Integer.toString(rtpStartPort), "--loglevel", "2")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitListening(sourcePort);
        awaitListening(clientPort);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
                "-stream_loop", "-1", "-i", clip.toString(), "-c:v", "copy", "-c:a", "aac", "-f", "rtsp",
                "rtsp://127.0.0.1:" + sourcePort + "/cam"));
        publisher = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** Kills the publisher and the server (SIGKILL) and waits for both to be gone. */
    void kill() throws InterruptedException {
        publisher = kill(publisher);
        server = kill(server);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static Process kill(Process p) throws InterruptedException {
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return null;
    }

    /** Polls the port until the server accepts a connection; fails after the wait or when the server exits. */
    private void awaitListening(int port) throws IOException {
        long deadline = System.nanoTime() + LISTEN_WAIT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (!server.isAlive()) {
                    throw new IOException(SERVER + " exited with " + server.exitValue() + "; its output: " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(SERVER + " does not listen on port " + port + " after " + LISTEN_WAIT);
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    private static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first of {@code count} consecutive UDP ports that are free now, above the usual ephemeral range's start. */
    private static int freeUdpRange(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + 2 * ThreadLocalRandom.current().nextInt(5_000);
            if (udpFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free UDP ports between 20000 and 30000");
    }

    private static boolean udpFree(int base, int count) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int p = base; p < base + count; p++) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
            }
            return true;
        } catch (IOException taken) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }
}
