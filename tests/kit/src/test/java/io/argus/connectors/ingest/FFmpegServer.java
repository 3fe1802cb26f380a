package io.argus.connectors.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A live source for tests: the ffmpeg command line serving a recording in a loop at its own pace
 * over HTTP ({@code -listen 1}, one client at a time), as MPEG-TS with the video copied and the
 * sound in AAC, like an IP camera. Killed and started again on the same port by the tests.
 */
public final class FFmpegServer implements AutoCloseable {

    private final Path clip;
    private final int port;
    private final List<String> videoArgs;
    private final String format;
    private Process process;

    private FFmpegServer(Path clip, int port, List<String> videoArgs, String format) {
        this.clip = clip;
        this.port = port;
        this.videoArgs = videoArgs;
        this.format = format;
    }

    /** Serves the clip's video as it is (H.264) and its sound as AAC, in MPEG-TS. */
    public static FFmpegServer http(Path clip) {
        return new FFmpegServer(clip, freePort(), List.of("-c:v", "copy"), "mpegts");
    }

    /** Serves the clip with its video in a codec the wire format does not carry (FFV1 in Matroska). */
    public static FFmpegServer httpNeedingReencode(Path clip) {
        return new FFmpegServer(clip, freePort(), List.of("-c:v", "ffv1"), "matroska");
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/cam";
    }

    public FFmpegServer start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
                "-stream_loop", "-1", "-i", clip.toString()));
        cmd.addAll(videoArgs);
        cmd.addAll(List.of("-c:a", "aac", "-f", format, "-listen", "1", url()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return this;
    }

    /** Kills the server as a power cut would (SIGKILL), and waits for it to be gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
