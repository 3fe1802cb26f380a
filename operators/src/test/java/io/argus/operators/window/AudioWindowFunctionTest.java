package io.argus.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.input.AudioWindow;
import io.argus.operators.decode.AudioChunk;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AudioWindowFunctionTest {

    /** A chunk of 1 kHz audio whose samples count up from {@code first}. */
    private static AudioChunk chunk(String stream, long startMs, int samples, int first) {
        float[] s = new float[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = first + i;
        }
        return new AudioChunk(stream, startMs, 1000, s, startMs);
    }

    private static List<AudioWindow> run(long windowMs, long hopMs, List<AudioChunk> chunks) throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AudioWindowFunction(windowMs, hopMs, 100, 1000, 5000)),
                (AudioChunk c) -> c.streamId, Types.STRING)) {
            h.open();
            for (AudioChunk c : chunks) {
                h.processElement(c, c.startMs);
            }
            h.processWatermark(Long.MAX_VALUE);
            return h.extractOutputValues();
        }
    }

    @Test
    void windowsSpanRecordsAndOverlapByTheHop() throws Exception {
        List<AudioChunk> chunks = List.of(chunk("m", 0, 400, 0), chunk("m", 400, 400, 400), chunk("m", 800, 400, 800));
        List<AudioWindow> windows = run(500, 250, chunks);
        assertThat(windows).extracting(w -> w.startMs).containsExactly(0L, 250L, 500L);
        assertThat(windows).extracting(w -> w.endMs).containsExactly(500L, 750L, 1000L);
        assertThat(windows.get(1).samples[0]).isEqualTo(250f); // the second window starts at sample 250
        assertThat(windows.get(1).samples[499]).isEqualTo(749f); // ...and spans the first two chunks
    }

    @Test
    void outOfOrderChunksAreReordered() throws Exception {
        List<AudioChunk> inOrder = List.of(chunk("m", 0, 500, 0), chunk("m", 500, 500, 500), chunk("m", 1000, 500, 1000));
        List<AudioChunk> swapped = List.of(inOrder.get(1), inOrder.get(0), inOrder.get(2));
        List<AudioWindow> a = run(1000, 500, inOrder);
        List<AudioWindow> b = run(1000, 500, swapped);
        assertThat(b).usingRecursiveComparison().ignoringFields("decodedAtMs").isEqualTo(a);
    }

    @Test
    void aGapOrARateChangeStartsOver() throws Exception {
        List<AudioChunk> chunks = new ArrayList<>(List.of(chunk("m", 0, 600, 0), chunk("m", 2000, 600, 0)));
        AudioChunk other = chunk("m", 2600, 1200, 0);
        other.sampleRate = 2000; // 1200 samples at 2 kHz = 600 ms
        chunks.add(other);
        assertThat(run(500, 500, chunks)).extracting(w -> w.startMs).containsExactly(0L, 2000L, 2600L);
    }
}
