package io.argus.operators.window;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A window shape the job cannot use is refused naming the flag the user sets it with. */
class WindowSpecTest {

    @Test
    void aBadShapeNamesTheOptionThatSetsIt() {
        assertThatThrownBy(() -> new WindowSpec(0, 1, 10, 1000))
                .hasMessage("option --video-window-frames: 0 is out of range (1 to 512)");
        assertThatThrownBy(() -> new WindowSpec(16, 20, 10, 1000))
                .hasMessage("option --video-window-stride: 20 is out of range (1 to the window's 16 frames)");
        assertThatThrownBy(() -> new WindowSpec(16, 8, 0, 1000))
                .hasMessage("option --video-fps: 0.0 is out of range (above 0, up to 120)");
    }
}
