package io.argus.connectors.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

class FFmpegErrorsTest {

    @Test
    void givesFFmpegsTextAndNothingOfTheBufferAfterIt() {
        // leave text in freed native memory, as a long-running process does, so a new buffer is likely dirty
        for (int i = 0; i < 100; i++) {
            try (BytePointer dirt = new BytePointer("x".repeat(255))) {
                assertThat(dirt.capacity()).isPositive();
            }
        }
        assertThat(FFmpegErrors.describe(avutil.AVERROR_HTTP_BAD_REQUEST)).isEqualTo("Server returned 400 Bad Request");
        assertThat(FFmpegErrors.describe(avutil.AVERROR_EOF)).isEqualTo("End of file");
        assertThat(FFmpegErrors.describe(-111)).isEqualTo("Connection refused");
    }
}
