package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.connectors.media.MediaCodec;
import io.argus.connectors.media.MediaRecord;
import org.junit.jupiter.api.Test;

class RecordBufferTest {

    private static MediaRecord segment(String stream, long sequence, int bytes) {
        return MediaRecord.video(stream, MediaCodec.H264, "mpegts", 1_000 * sequence, 1000, sequence, 25,
                new byte[bytes]);
    }

    @Test
    void aStreamOverItsBoundDropsItsOldestAndCountsThem() throws Exception {
        RecordBuffer buffer = new RecordBuffer(1000);
        for (long seq = 0; seq < 5; seq++) {
            buffer.offer(segment("cam", seq, 400));
        }
        assertThat(buffer.dropped("cam")).isEqualTo(3);
        assertThat(buffer.bytes("cam")).isEqualTo(800);
        assertThat(buffer.poll(0).sequence).isEqualTo(3);
        assertThat(buffer.poll(0).sequence).isEqualTo(4);
        assertThat(buffer.poll(0)).isNull();
    }

    @Test
    void aRecordLargerThanTheBoundIsKeptAlone() throws Exception {
        RecordBuffer buffer = new RecordBuffer(1000);
        buffer.offer(segment("cam", 0, 100));
        buffer.offer(segment("cam", 1, 5000));
        assertThat(buffer.dropped("cam")).isEqualTo(1);
        assertThat(buffer.poll(0).sequence).isEqualTo(1);
    }

    @Test
    void streamsAreTakenInTurnAndOneStreamsDropsLeaveTheOtherAlone() throws Exception {
        RecordBuffer buffer = new RecordBuffer(1000);
        for (long seq = 0; seq < 4; seq++) {
            buffer.offer(segment("busy", seq, 400));
        }
        buffer.offer(segment("quiet", 0, 10));
        buffer.offer(segment("quiet", 1, 10));
        assertThat(buffer.dropped("busy")).isEqualTo(2);
        assertThat(buffer.dropped("quiet")).isZero();
        StringBuilder order = new StringBuilder();
        for (MediaRecord r = buffer.poll(0); r != null; r = buffer.poll(0)) {
            order.append(r.streamId).append(r.sequence).append(' ');
        }
        assertThat(order.toString().strip()).isEqualTo("busy2 quiet0 busy3 quiet1");
    }

    @Test
    void aRecordPutBackGoesOutFirst() throws Exception {
        RecordBuffer buffer = new RecordBuffer(1000);
        buffer.offer(segment("cam", 1, 10));
        buffer.putBack(segment("cam", 0, 10));
        assertThat(buffer.poll(0).sequence).isZero();
        assertThat(buffer.poll(0).sequence).isEqualTo(1);
        assertThat(buffer.size()).isZero();
    }
}
