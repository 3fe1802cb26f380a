package io.argus.connectors.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_PRFT;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_get_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaKind;
import io.argus.connectors.media.MediaRecord;
import io.argus.connectors.replay.FrameSegments;
import io.argus.connectors.replay.PcmChunks;
import io.argus.connectors.replay.SegmentOptions;
import io.argus.connectors.status.IngestStatus;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVProducerReferenceTime;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source for the life of the ingest, on a thread of its own: connects, cuts what comes
 * into media records and hands them to the {@link RecordBuffer}; when the source ends, fails or
 * stalls, reports it and connects again after a {@link Backoff} wait, forever unless the settings
 * give a number of attempts; a recording stops at its end. Sequence numbers ({@code argus.seq}) run
 * on across connections, so they increase for the life of the stream; capture times follow the wall clock
 * ({@link CaptureClock}), so an outage shows as a gap in capture time.
 */
final class SourceRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRunner.class);
    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);
    private static final String ENDED = "the source ended";

    private final SourceSpec source;
    private final Ingest.Settings settings;
    private final RecordBuffer buffer;
    private final Consumer<IngestStatus> reports;
    private final CountDownLatch stop;
    private final Backoff backoff;
    private final IngestStatus counts = new IngestStatus();
    private volatile LiveInput current;
    private long nextVideoSequence;
    private long nextAudioSequence;
    /** Capture time just after the last media sent, epoch ms; 0 before the first. */
    private long lastCaptureEndMs;

    SourceRunner(SourceSpec source, Ingest.Settings settings, RecordBuffer buffer, Consumer<IngestStatus> reports,
            CountDownLatch stop) {
        this.source = source;
        this.settings = settings;
        this.buffer = buffer;
        this.reports = reports;
        this.stop = stop;
        this.backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax(), Math::random);
        counts.streamId = source.streamId();
        counts.source = source.display();
    }

    SourceSpec source() {
        return source;
    }

    @Override
    public void run() {
        String reason = null;
        while (!stopping()) {
            reason = attempt();
            if (stopping()) {
                break;
            }
            if (source.paced() && ENDED.equals(reason)) {
                reason = "the recording ended";
                break;
            }
            if (settings.maxAttempts() > 0 && backoff.attempts() >= settings.maxAttempts()) {
                reason = "gave up after " + backoff.attempts() + " failed attempts in a row; last: " + reason;
                break;
            }
            long delay = backoff.nextDelayMs();
            IngestStatus s = report(IngestStatus.RECONNECTING, reason);
            s.retryInMs = delay;
            publish(s);
            try {
                if (stop.await(delay, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        publish(report(IngestStatus.STOPPED, stopping() ? "the ingest was stopped" : reason));
    }

    /** Stops a read in progress at once. */
    void abort() {
        LiveInput in = current;
        if (in != null) {
            in.abort();
        }
    }

    /** One connection, from opening to its end; returns why it ended. */
    private String attempt() {
        try (LiveInput in = LiveInput.open(source, settings.readTimeout())) {
            current = in;
            if (stopping()) {
                in.abort();
            }
            counts.connects++;
            try (Connection c = new Connection(in)) {
                return c.read();
            }
        } catch (LiveInput.StalledException e) {
            counts.stalls++;
            counts.failures++;
            publish(report(IngestStatus.STALLED, e.getMessage()));
            return e.getMessage();
        } catch (IOException | RuntimeException e) {
            counts.failures++;
            LOG.debug("{}: {}", source, e.toString(), e);
            return e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            current = null;
        }
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private IngestStatus report(String status, String reason) {
        IngestStatus s = new IngestStatus();
        s.status = status;
        s.streamId = counts.streamId;
        s.source = counts.source;
        s.reason = reason;
        s.videoRecords = counts.videoRecords;
        s.audioRecords = counts.audioRecords;
        s.droppedRecords = buffer.dropped(source.streamId());
        s.connects = counts.connects;
        s.stalls = counts.stalls;
        s.failures = counts.failures;
        s.atMs = System.currentTimeMillis();
        s.sinceMs = s.atMs;
        return s;
    }

    private void publish(IngestStatus s) {
        LOG.info("{}", s);
        reports.accept(s);
    }

    private void emit(MediaRecord r) {
        if (r.kind == MediaKind.VIDEO) {
            counts.videoRecords++;
            nextVideoSequence = r.sequence + 1;
        } else {
            counts.audioRecords++;
            nextAudioSequence = r.sequence + 1;
        }
        lastCaptureEndMs = Math.max(lastCaptureEndMs, r.captureTimeMs + r.durationMs);
        buffer.offer(r);
    }

    /** What one open connection reads with: its clock, and the segmenters and decoders of its streams. */
    private final class Connection implements AutoCloseable {

        private final LiveInput in;
        private final CaptureClock clock;
        private final AVStream video;
        private final AVStream audio;
        private final MediaCodec videoCodec;
        private PacketSegments copied;
        private PacketDecoder videoDecoder;
        private FrameSegments encoded;
        private PacketDecoder audioDecoder;
        private PcmChunks chunks;
        private final long connectedAtMs = System.currentTimeMillis();
        private long lastHeartbeatMs = connectedAtMs;
        private boolean flowing;

        Connection(LiveInput in) throws IOException {
            this.in = in;
            this.clock = new CaptureClock(settings.maxDrift().toNanos() / 1000, source.paced());
            this.clock.connect(in.openedAtMs() * 1000);
            this.video = in.video();
            this.audio = in.audio();
            this.videoCodec = video == null ? null : PacketSegments.codecOf(video.codecpar().codec_id());
            SegmentOptions segments = settings.segments();
            if (video != null && videoCodec != null) {
                copied = new PacketSegments(source.streamId(), video, videoCodec, frameRate(video),
                        segments.segmentMillis(), nextVideoSequence, SourceRunner.this::emit);
            } else if (video != null) {
                videoDecoder = new PacketDecoder(video, "video of " + source.streamId());
            }
            if (audio != null) {
                audioDecoder = new PacketDecoder(audio, "audio of " + source.streamId());
            }
        }

        /** Reads until the source ends; returns why it ended. */
        String read() throws IOException {
            AVPacket packet = av_packet_alloc();
            try {
                while (!stopping()) {
                    if (!in.read(packet)) {
                        return ENDED;
                    }
                    try {
                        handle(packet);
                    } finally {
                        av_packet_unref(packet);
                    }
                    heartbeat();
                }
                return "the ingest was stopped";
            } finally {
                av_packet_free(packet);
            }
        }

        private void handle(AVPacket packet) throws IOException {
            int index = packet.stream_index();
            boolean isVideo = video != null && index == in.videoIndex();
            boolean isAudio = audio != null && index == in.audioIndex();
            if (!isVideo && !isAudio) {
                return;
            }
            AVStream stream = isVideo ? video : audio;
            long ts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
            long ptsUs = ts == AV_NOPTS_VALUE ? Long.MIN_VALUE : av_rescale_q(ts, stream.time_base(), MICROS);
            clock.sourceClock(ptsUs, senderWallUs(packet), System.currentTimeMillis() * 1000);
            if (isVideo) {
                if (copied != null) {
                    long captureUs = capture(ptsUs);
                    if (copied.add(packet, captureUs)) {
                        started(captureUs);
                    }
                } else {
                    videoDecoder.decodeVideo(packet, (frame, framePtsUs) -> {
                        long captureUs = capture(framePtsUs);
                        try {
                            encoder().add(frame, captureUs);
                        } catch (FrameRecorder.Exception e) {
                            throw new IOException("cannot re-encode the video of " + source.streamId() + ": "
                                    + e.getMessage(), e);
                        }
                        started(captureUs);
                    });
                }
            } else {
                audioDecoder.decodeAudio(packet, (samples, samplesPtsUs) -> {
                    long captureUs = capture(samplesPtsUs == Long.MIN_VALUE ? ptsUs : samplesPtsUs);
                    pcm().add(samples, captureUs);
                    started(captureUs);
                });
            }
        }

        /** The capture time of media at {@code ptsUs}, after waiting for it when the source is a recording. */
        private long capture(long ptsUs) throws IOException {
            long nowUs = System.currentTimeMillis() * 1000;
            long captureUs = clock.captureUs(ptsUs, nowUs);
            long aheadMs = (captureUs - nowUs) / 1000;
            if (source.paced() && aheadMs > 0) {
                try {
                    stop.await(aheadMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return captureUs;
        }

        /** The first media of the connection: the source is connected, and the gap before it known. */
        private void started(long captureUs) {
            if (flowing) {
                return;
            }
            flowing = true;
            backoff.reset();
            IngestStatus s = report(IngestStatus.CONNECTED, null);
            s.sinceMs = connectedAtMs;
            s.gapMs = lastCaptureEndMs == 0 ? 0 : Math.max(0, captureUs / 1000 - lastCaptureEndMs);
            s.videoCodec = video == null ? null : (videoCodec != null ? videoCodec : settings.segments().videoCodec())
                    .wireName();
            s.reencoding = video != null && videoCodec == null;
            if (s.reencoding) {
                LOG.warn("stream {}: its video codec {} is not one the wire format carries; re-encoding it as {}",
                        source.streamId(), video.codecpar().codec_id(), s.videoCodec);
            }
            publish(s);
        }

        private void heartbeat() {
            long now = System.currentTimeMillis();
            if (flowing && now - lastHeartbeatMs >= settings.statusInterval().toMillis()) {
                lastHeartbeatMs = now;
                IngestStatus s = report(IngestStatus.CONNECTED, null);
                s.sinceMs = connectedAtMs;
                s.videoCodec = video == null ? null : (videoCodec != null ? videoCodec
                        : settings.segments().videoCodec()).wireName();
                s.reencoding = video != null && videoCodec == null;
                publish(s);
            }
        }

        private FrameSegments encoder() {
            if (encoded == null) {
                encoded = new FrameSegments(settings.segments(), source.streamId(), 0, nextVideoSequence,
                        videoDecoder.width(), videoDecoder.height(), frameRate(video), SourceRunner.this::emit);
            }
            return encoded;
        }

        private PcmChunks pcm() {
            if (chunks == null) {
                chunks = new PcmChunks(settings.segments(), source.streamId(), 0, nextAudioSequence,
                        audioDecoder.sampleRate(), audioDecoder.channels(), SourceRunner.this::emit);
            }
            return chunks;
        }

        /** Sends what the connection had started (a last partial segment and chunk) and frees native memory. */
        @Override
        public void close() {
            try {
                if (copied != null) {
                    copied.finish();
                }
                if (encoded != null) {
                    encoded.finish();
                }
                if (chunks != null) {
                    chunks.finish();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: the last segment was lost: {}", source, e.toString());
            } finally {
                if (copied != null) {
                    copied.close();
                }
                if (videoDecoder != null) {
                    videoDecoder.close();
                }
                if (audioDecoder != null) {
                    audioDecoder.close();
                }
            }
        }
    }

    /**
     * The sender's wall clock when it captured this packet, epoch µs, where the source says
     * (FFmpeg's RTSP reader: the last RTCP sender report plus the RTP time since); 0 otherwise.
     */
    private static long senderWallUs(AVPacket packet) {
        BytePointer data = av_packet_get_side_data(packet, AV_PKT_DATA_PRFT, (SizeTPointer) null);
        if (data == null || data.isNull()) {
            return 0;
        }
        return new AVProducerReferenceTime(data).wallclock();
    }

    private static double frameRate(AVStream stream) {
        double avg = av_q2d(stream.avg_frame_rate());
        double r = av_q2d(stream.r_frame_rate());
        double fps = avg > 0 && avg <= 240 ? avg : r;
        return fps > 0 && fps <= 240 ? fps : 25;
    }
}
