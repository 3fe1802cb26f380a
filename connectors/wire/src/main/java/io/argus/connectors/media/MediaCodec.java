package io.argus.connectors.media;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The codecs a media record may declare, with the container (FFmpeg demuxer name) each is
 * carried in. Raw PCM needs no container; everything else is decoded by FFmpeg.
 */
public enum MediaCodec {
    H264("h264", MediaKind.VIDEO),
    HEVC("hevc", MediaKind.VIDEO),
    MPEG4("mpeg4", MediaKind.VIDEO),
    MJPEG("mjpeg", MediaKind.VIDEO),
    VP8("vp8", MediaKind.VIDEO),
    VP9("vp9", MediaKind.VIDEO),
    PCM_S16LE("pcm_s16le", MediaKind.AUDIO),
    PCM_F32LE("pcm_f32le", MediaKind.AUDIO),
    AAC("aac", MediaKind.AUDIO),
    OPUS("opus", MediaKind.AUDIO),
    MP3("mp3", MediaKind.AUDIO),
    FLAC("flac", MediaKind.AUDIO),
    VORBIS("vorbis", MediaKind.AUDIO);

    private final String wireName;
    private final MediaKind kind;

    MediaCodec(String wireName, MediaKind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    public String wireName() {
        return wireName;
    }

    public MediaKind kind() {
        return kind;
    }

    /** Raw interleaved PCM samples, decoded without FFmpeg. */
    public boolean isPcm() {
        return this == PCM_S16LE || this == PCM_F32LE;
    }

    /** Parses a wire name, or returns null when it is not one. */
    public static MediaCodec fromWire(String value) {
        for (MediaCodec c : values()) {
            if (c.wireName.equals(value)) {
                return c;
            }
        }
        return null;
    }

    /** The wire names of the codecs of one kind, for error messages. */
    public static String known(MediaKind kind) {
        return Arrays.stream(values())
                .filter(c -> c.kind == kind)
                .map(MediaCodec::wireName)
                .collect(Collectors.joining(", "));
    }
}
