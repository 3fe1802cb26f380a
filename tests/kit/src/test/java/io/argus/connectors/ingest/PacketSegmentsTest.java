package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import io.argus.models.action.Action;
import io.argus.testkit.SyntheticClip;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FFmpeg: the packets of a generated clip copied into segments, as ingest does without re-encoding. */
class PacketSegmentsTest {

    private static final long BASE_US = 1_767_225_600_000_000L;
    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

    @TempDir
    Path dir;

    @Test
    void packetsWithoutATimeBeforeTheFirstSegmentAreDroppedAndEverySegmentHasItsDuration() throws Exception {
        Path clip = dir.resolve("clip.mkv");
        SyntheticClip.standard(3).write(clip, List.of(
                new SyntheticClip.Phase(3000, Action.WALKING, SyntheticClip.Sound.SILENCE)));
        List<MediaRecord> out = new ArrayList<>();
        List<Boolean> taken = new ArrayList<>();

        AVFormatContext in = new AVFormatContext(null);
        assertThat(avformat_open_input(in, clip.toString(), (AVInputFormat) null, (AVDictionary) null)).isZero();
        AVPacket packet = av_packet_alloc();
        try {
            assertThat(avformat_find_stream_info(in, (AVDictionary) null)).isGreaterThanOrEqualTo(0);
            int videoIndex = -1;
            for (int i = 0; i < in.nb_streams(); i++) {
                if (in.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                    videoIndex = i;
                }
            }
            AVStream stream = in.streams(videoIndex);
            PacketSegments segments = new PacketSegments("cam", stream,
                    PacketSegments.codecOf(stream.codecpar().codec_id()), 25, 1000, 0, out::add);
            boolean first = true;
            while (av_read_frame(in, packet) >= 0) {
                if (packet.stream_index() == videoIndex) {
                    long ptsUs = av_rescale_q(packet.pts(), stream.time_base(), MICROS);
                    if (first) { // as an RTSP source's first packets can be: no time at all
                        assertThat((packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0).as("the clip starts on a keyframe")
                                .isTrue();
                        packet.pts(AV_NOPTS_VALUE);
                        packet.dts(AV_NOPTS_VALUE);
                        first = false;
                    }
                    taken.add(segments.add(packet, BASE_US + ptsUs));
                }
                av_packet_unref(packet);
            }
            segments.finish();
            segments.close();
        } finally {
            av_packet_free(packet);
            avformat_close_input(in);
        }

        // the untimed keyframe and the frames that depend on it are dropped; the next keyframe (1 s) starts
        assertThat(taken.subList(0, 25)).containsOnly(false);
        assertThat(taken.subList(25, taken.size())).containsOnly(true);
        assertThat(out).extracting(r -> r.captureTimeMs - BASE_US / 1000).containsExactly(1000L, 2000L);
        assertThat(out).allSatisfy(r -> {
            assertThat(r.codec).isEqualTo(MediaCodec.H264);
            assertThat(r.durationMs).isEqualTo(1000);
        });
        assertThat(out).extracting(r -> r.sequence).containsExactly(0L, 1L);
    }
}
