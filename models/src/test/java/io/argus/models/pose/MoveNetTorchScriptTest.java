package io.argus.models.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.models.runtime.DjlRuntime;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MoveNet MultiPose Lightning, converted to TorchScript by models/pretrained/movenet/convert_movenet.py,
 * runs in DJL's PyTorch engine offline and finds the people that the original TF.js model finds: on a
 * frame of real street footage and on a photo, the outputs recorded from TF.js by the parity check
 * (models/pretrained/movenet/parity) come back within float rounding.
 */
class MoveNetTorchScriptTest {

    static final Path MODEL_DIR = Path.of("pretrained/movenet");
    static final String MODEL_NAME = "movenet_multipose_lightning";
    static final String FIXTURES = "/io/argus/models/pose/";
    static final int PEOPLE = 6;
    static final int VALUES = 56;
    /** Index of the person score in a row of 56: 17 keypoints x (y, x, score), then the box. */
    static final int SCORE = 55;
    /** Measured difference to TF.js is about 2e-6 (models/pretrained/movenet/README.md). */
    static final float TOLERANCE = 1e-4f;

    static Model model;
    static Predictor<NDList, NDList> predictor;

    @BeforeAll
    static void load() throws Exception {
        DjlRuntime.pytorch();
        model = Model.newInstance(MODEL_NAME, Device.cpu(), DjlRuntime.ENGINE);
        model.load(MODEL_DIR, MODEL_NAME);
        predictor = model.newPredictor(new NoopTranslator());
    }

    @AfterAll
    static void close() {
        predictor.close();
        model.close();
    }

    @Test
    void findsThePeopleThatTfjsFindsOnRealFrames() throws Exception {
        Fixture fixture = Fixture.read("movenet-tfjs-256x192.json");
        for (Frame frame : fixture.frames) {
            float[] out = run(List.of(frame.rgb), fixture.width, fixture.height);
            assertThat(out).hasSize(PEOPLE * VALUES);
            for (int i = 0; i < out.length; i++) {
                int person = i / VALUES;
                int value = i % VALUES;
                assertThat(out[i]).as("%s person %d value %d", frame.name, person, value)
                        .isCloseTo(frame.expected[i], within(TOLERANCE));
            }
        }
        // What a user sees (scores of pedestrians seen from above at this small size are low: 0.10-0.29).
        assertThat(people(run(List.of(fixture.frame("vtest-230").rgb), fixture.width, fixture.height), 0.15f))
                .as("pedestrians scored >= 0.15 in the vtest.avi frame").isEqualTo(3);
        assertThat(people(run(List.of(fixture.frame("astronaut").rgb), fixture.width, fixture.height), 0.15f))
                .as("people scored >= 0.15 in the astronaut photo").isEqualTo(1);
    }

    @Test
    void aBatchOfTwoGivesWhatTwoSingleCallsGive() throws Exception {
        Fixture fixture = Fixture.read("movenet-tfjs-256x192.json");
        byte[] a = fixture.frames.get(0).rgb;
        byte[] b = fixture.frames.get(1).rgb;
        float[] batch = run(List.of(a, b), fixture.width, fixture.height);
        float[] first = run(List.of(a), fixture.width, fixture.height);
        float[] second = run(List.of(b), fixture.width, fixture.height);
        float[] singles = new float[2 * PEOPLE * VALUES];
        System.arraycopy(first, 0, singles, 0, first.length);
        System.arraycopy(second, 0, singles, first.length, second.length);
        assertThat(batch).containsExactly(singles);
    }

    @Test
    void takesEverySizeThatIsAMultipleOf32AndRefusesOthers() {
        for (int[] wh : new int[][] {{320, 256}, {384, 288}, {256, 256}, {128, 640}}) {
            byte[] black = new byte[wh[0] * wh[1] * 3];
            float[] out = run(List.of(black), wh[0], wh[1]);
            assertThat(out).as("%dx%d", wh[0], wh[1]).hasSize(PEOPLE * VALUES);
            assertThat(people(out, 0.2f)).as("people in a black %dx%d frame", wh[0], wh[1]).isZero();
        }
        assertThatThrownBy(() -> run(List.of(new byte[250 * 190 * 3]), 250, 190))
                .hasMessageContaining("multiples of 32");
    }

    /** Runs one batch of uint8 RGB frames and returns the (N, 6, 56) output, flat. */
    static float[] run(List<byte[]> frames, int width, int height) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE)) {
            ByteBuffer pixels = ByteBuffer.allocateDirect(frames.size() * width * height * 3);
            frames.forEach(pixels::put);
            pixels.flip();
            NDArray input = manager.create(pixels, new Shape(frames.size(), height, width, 3), DataType.UINT8);
            NDArray out = predictor.predict(new NDList(input)).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(frames.size(), PEOPLE, VALUES));
            assertThat(out.getDataType()).isEqualTo(DataType.FLOAT32);
            return out.toFloatArray();
        } catch (TranslateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static int people(float[] out, float minScore) {
        int n = 0;
        for (int p = 0; p < out.length / VALUES; p++) {
            if (out[p * VALUES + SCORE] >= minScore) {
                n++;
            }
        }
        return n;
    }

    record Frame(String name, byte[] rgb, float[] expected) {}

    record Fixture(int width, int height, List<Frame> frames) {

        Frame frame(String prefix) {
            return frames.stream().filter(f -> f.name.startsWith(prefix)).findFirst().orElseThrow();
        }

        static Fixture read(String json) throws IOException {
            JsonNode root;
            try (InputStream in = resource(json)) {
                root = new ObjectMapper().readTree(in);
            }
            String[] size = root.get("size").asText().split("x");
            int width = Integer.parseInt(size[0]);
            int height = Integer.parseInt(size[1]);
            List<Frame> frames = new ArrayList<>();
            for (JsonNode f : root.get("frames")) {
                float[] expected = new float[PEOPLE * VALUES];
                int i = 0;
                for (JsonNode row : f.get("output")) {
                    for (JsonNode v : row) {
                        expected[i++] = v.floatValue();
                    }
                }
                String file = f.get("file").asText();
                frames.add(new Frame(file, rgb(file, width, height), expected));
            }
            return new Fixture(width, height, frames);
        }

        static byte[] rgb(String png, int width, int height) throws IOException {
            BufferedImage image;
            try (InputStream in = resource(png)) {
                image = ImageIO.read(in);
            }
            assertThat(image.getWidth()).isEqualTo(width);
            assertThat(image.getHeight()).isEqualTo(height);
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            byte[] rgb = new byte[argb.length * 3];
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
            return rgb;
        }

        static InputStream resource(String name) throws IOException {
            InputStream in = MoveNetTorchScriptTest.class.getResourceAsStream(FIXTURES + name);
            if (in == null) {
                throw new IOException("test fixture " + FIXTURES + name + " is missing");
            }
            return in;
        }
    }
}
