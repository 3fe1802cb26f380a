package io.argus.connectors.media;

/**
 * One input record: a self-contained piece of one stream's media and what is needed to decode it
 * and place it in event time. {@link MediaRecordFormat} maps it to and from Kafka records.
 *
 * <p>Video: an encoded segment (e.g. about 1 s of H.264 in MPEG-TS that starts on a keyframe) or
 * a single JPEG. Audio: interleaved PCM or an encoded segment.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so Flink serialises it without Kryo.
 */
public class MediaRecord {

    public String streamId;
    public MediaKind kind;
    public MediaCodec codec;
    /** FFmpeg demuxer name (mpegts, matroska, mp4, mjpeg, ogg, ...); "raw" for PCM. */
    public String container;
    /** Capture time (event time) of the first frame or sample, epoch milliseconds. */
    public long captureTimeMs;
    /** Media duration of the payload in milliseconds, 0 when unknown. */
    public long durationMs;
    /** Per-stream sequence number, increasing by one per record. */
    public long sequence;
    /** Video: frames per second as captured; 0 for audio. */
    public double frameRate;
    /** Audio: samples per second per channel; 0 for video. */
    public int sampleRate;
    /** Audio: interleaved channels; 0 for video. */
    public int channels;
    public byte[] payload;

    public MediaRecord() {}

    /** A video record. */
    public static MediaRecord video(
            String streamId,
            MediaCodec codec,
            String container,
            long captureTimeMs,
            long durationMs,
            long sequence,
            double frameRate,
            byte[] payload) {
        MediaRecord r = base(streamId, MediaKind.VIDEO, codec, container, captureTimeMs, durationMs, sequence, payload);
        r.frameRate = frameRate;
        return r;
    }

    /** An audio record. */
    public static MediaRecord audio(
            String streamId,
            MediaCodec codec,
            String container,
            long captureTimeMs,
            long durationMs,
            long sequence,
            int sampleRate,
            int channels,
            byte[] payload) {
        MediaRecord r = base(streamId, MediaKind.AUDIO, codec, container, captureTimeMs, durationMs, sequence, payload);
        r.sampleRate = sampleRate;
        r.channels = channels;
        return r;
    }

    private static MediaRecord base(
            String streamId,
            MediaKind kind,
            MediaCodec codec,
            String container,
            long captureTimeMs,
            long durationMs,
            long sequence,
            byte[] payload) {
        MediaRecord r = new MediaRecord();
        r.streamId = streamId;
        r.kind = kind;
        r.codec = codec;
        r.container = container;
        r.captureTimeMs = captureTimeMs;
        r.durationMs = durationMs;
        r.sequence = sequence;
        r.payload = payload;
        return r;
    }

    @Override
    public String toString() {
        return kind.wireName() + " record " + streamId + "#" + sequence + " @" + captureTimeMs
                + " (" + codec.wireName() + "/" + container + ", " + payload.length + " bytes)";
    }
}
