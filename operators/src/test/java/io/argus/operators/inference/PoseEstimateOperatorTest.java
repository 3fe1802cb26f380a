package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.argus.models.pose.PoseEstimator;
import io.argus.models.pose.PoseFrame;
import io.argus.operators.decode.VideoFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pose operator in Flink's harness with the bundled MoveNet: the warm-up in open() and a frame after it. */
class PoseEstimateOperatorTest {

    private static final Path MOVENET = Path.of("../models/pretrained/movenet/movenet_multipose_lightning.pt");
    private static final long T0 = 1_767_225_600_000L;
    private static final int WIDTH = 256;
    private static final int HEIGHT = 192;
    private static byte[] torchScript;

    @BeforeAll
    static void readModel() throws Exception {
        torchScript = Files.readAllBytes(MOVENET);
    }

    private static PoseEstimateOperator operator() {
        byte[] model = torchScript;
        return new PoseEstimateOperator(() -> PoseEstimator.load(model, Device.cpu()), 0.2f, 4, 50);
    }

    @Test
    void theModelRunsOnABlankFrameWhenTheOperatorOpensAndEmitsNothingForIt() throws Exception {
        PoseEstimateOperator op = operator().warmUp(WIDTH, HEIGHT);
        try (var h = new OneInputStreamOperatorTestHarness<VideoFrame, PoseFrame>(op)) {
            assertThat(op.warmUpMillis()).isEqualTo(-1);
            h.open();
            assertThat(op.warmUpMillis()).as("warm-up done in open()").isGreaterThanOrEqualTo(0);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processElement(new VideoFrame("cam", T0, WIDTH, HEIGHT, 3, new byte[WIDTH * HEIGHT * 3], T0), T0);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).singleElement().satisfies(f -> {
                assertThat(f.streamId).isEqualTo("cam");
                assertThat(f.timestampMs).isEqualTo(T0);
                assertThat(f.count()).as("people in a blank frame").isZero();
            });
        }
    }

    @Test
    void withoutAWarmUpSizeOpenRunsNothing() throws Exception {
        PoseEstimateOperator op = operator();
        try (var h = new OneInputStreamOperatorTestHarness<VideoFrame, PoseFrame>(op)) {
            h.open();
            assertThat(op.warmUpMillis()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> operator().warmUp(0, HEIGHT)).hasMessageContaining("0x192");
    }
}
