package io.argus.connectors.ingest;

import io.argus.connectors.media.MediaRecordFormat;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One live source and the stream id it is published as. A source is a network URL
 * ({@code rtsp://}, {@code rtsps://}, {@code http://}, {@code https://}, {@code udp://},
 * {@code tcp://}, {@code srt://}), a V4L2 camera ({@code /dev/videoN}), an ALSA capture device
 * ({@code alsa:hw:1,0}, {@code alsa:default}) or a media file, which is read at its own pace as a
 * camera would send it.
 *
 * @param streamId the stream id the source's records carry
 * @param source the source as the user wrote it (shown in messages and status records)
 * @param url what FFmpeg opens
 * @param inputFormat the FFmpeg demuxer to use ({@code v4l2}, {@code alsa}), or null to probe
 * @param kind what sort of source it is
 */
public record SourceSpec(String streamId, String source, String url, String inputFormat, Kind kind) {

    /** What sort of source a {@link SourceSpec} is. */
    public enum Kind {
        /** A network stream: read as it arrives. */
        NETWORK,
        /** A capture device: read as it arrives. */
        DEVICE,
        /** A recording: read at the pace of its own timestamps. */
        FILE
    }

    /** The sources {@code --source} accepts, in words, for messages. */
    public static final String ACCEPTED = "rtsp://, rtsps://, http://, https://, udp://, tcp://, srt://, "
            + "/dev/videoN, alsa:DEVICE or a media file";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
    private static final Pattern V4L2 = Pattern.compile("/dev/video\\d{1,3}");
    private static final java.util.Set<String> NETWORK_SCHEMES =
            java.util.Set.of("rtsp", "rtsps", "http", "https", "udp", "tcp", "srt");

    public SourceSpec {
        if (!MediaRecordFormat.isValidStreamId(streamId)) {
            throw new IllegalArgumentException("stream id '" + streamId + "' of source " + source + " is not a stream id ("
                    + MediaRecordFormat.STREAM_ID_RULE + ")");
        }
    }

    /**
     * Reads a source as given on the command line or in a sources file.
     *
     * @throws IllegalArgumentException naming the source and what is wrong with it: an unknown
     *     scheme, a URL without a host or port where one is needed, a file that does not exist
     */
    public static SourceSpec parse(String streamId, String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source of stream " + streamId + " is empty (" + ACCEPTED + ")");
        }
        String s = source.strip();
        var scheme = SCHEME.matcher(s);
        if (scheme.matches()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            if (!NETWORK_SCHEMES.contains(name)) {
                throw new IllegalArgumentException("source '" + s + "' of stream " + streamId + ": scheme " + name
                        + ":// is not read (" + ACCEPTED + ")");
            }
            checkUrl(streamId, s, name);
            return new SourceSpec(streamId, s, s, null, Kind.NETWORK);
        }
        if (s.startsWith("alsa:")) {
            String device = s.substring("alsa:".length());
            if (device.isBlank()) {
                throw new IllegalArgumentException("source '" + s + "' of stream " + streamId
                        + ": name the ALSA device, e.g. alsa:default or alsa:hw:1,0");
            }
            return new SourceSpec(streamId, s, device, "alsa", Kind.DEVICE);
        }
        if (V4L2.matcher(s).matches()) {
            return new SourceSpec(streamId, s, s, "v4l2", Kind.DEVICE);
        }
        Path file = Path.of(s);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("source '" + s + "' of stream " + streamId
                    + ": no such file (" + ACCEPTED + ")");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("source '" + s + "' of stream " + streamId + ": cannot read "
                    + (Files.isDirectory(file) ? "a directory" : "the file"));
        }
        return new SourceSpec(streamId, s, file.toAbsolutePath().toString(), null, Kind.FILE);
    }

    private static void checkUrl(String streamId, String s, String scheme) {
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("source '" + s + "' of stream " + streamId + " is not a URL: "
                    + e.getReason() + " at index " + e.getIndex());
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("source '" + s + "' of stream " + streamId + " names no host");
        }
        boolean needsPort = scheme.equals("udp") || scheme.equals("tcp") || scheme.equals("srt");
        if (needsPort && uri.getPort() < 0) {
            throw new IllegalArgumentException("source '" + s + "' of stream " + streamId + " names no port ("
                    + scheme + "://HOST:PORT)");
        }
    }

    /** Whether the source is read at the pace of its timestamps (a recording) rather than as it arrives. */
    public boolean paced() {
        return kind == Kind.FILE;
    }

    /** The source as written, with any password in it hidden, for messages and status records. */
    public String display() {
        return source.replaceAll("://([^/@:]*):[^/@]*@", "://$1:***@");
    }

    @Override
    public String toString() {
        return streamId + " <- " + display();
    }
}
