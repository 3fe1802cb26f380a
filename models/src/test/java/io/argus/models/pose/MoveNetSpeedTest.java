package io.argus.models.pose;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.argus.models.runtime.DjlRuntime;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How long MoveNet MultiPose takes per frame in DJL, as the job runs it (one intra-op thread unless
 * {@code -Dai.djl.pytorch.num_threads} says otherwise), at the input sizes the README compares, in
 * batches of 1 and 4. A measurement, not a test: it prints a table and asserts only the output shape.
 * Besides wall time it prints the CPU time of the calling thread, which is where a one-thread
 * PyTorch engine computes: on a machine shared with other work, that is the stable figure.
 * Run it with {@code mvn -B -o test -pl models -Dtest=MoveNetSpeedTest -Dargus.movenet.speed=true}.
 */
@EnabledIfSystemProperty(named = "argus.movenet.speed", matches = "true")
class MoveNetSpeedTest {

    static final int[][] SIZES = {{256, 192}, {320, 224}, {320, 256}, {256, 256}, {384, 288}, {512, 384}};
    static final int[] BATCHES = {1, 4};
    static final int WARM_UP = 3;
    static final int FRAMES_PER_RUN = 16;
    static final int RUNS = 5;

    @Test
    void printsMillisecondsPerFrame() throws Exception {
        DjlRuntime.pytorch();
        System.out.printf("MoveNet MultiPose in DJL %s, PyTorch %s, %s intra-op thread(s)%n",
                ai.djl.engine.Engine.getDjlVersion(), ai.djl.engine.Engine.getEngine(DjlRuntime.ENGINE).getVersion(),
                System.getProperty(DjlRuntime.THREADS));
        System.out.println("size (WxH)  batch  wall ms/frame (median, min, max)  CPU ms/frame (median, min)  ("
                + RUNS + " runs of " + FRAMES_PER_RUN + " frames)");
        SplittableRandom random = new SplittableRandom(7);
        try (Model model = Model.newInstance(MoveNetTorchScriptTest.MODEL_NAME, Device.cpu(), DjlRuntime.ENGINE)) {
            model.load(MoveNetTorchScriptTest.MODEL_DIR, MoveNetTorchScriptTest.MODEL_NAME);
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                    NDManager manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE)) {
                for (int[] wh : SIZES) {
                    for (int batch : BATCHES) {
                        byte[] pixels = new byte[batch * wh[0] * wh[1] * 3];
                        random.nextBytes(pixels);
                        ByteBuffer buffer = ByteBuffer.allocateDirect(pixels.length).put(pixels).flip();
                        NDArray input = manager.create(buffer, new Shape(batch, wh[1], wh[0], 3), DataType.UINT8);
                        double[][] ms = measure(predictor, input, batch);
                        double[] wall = ms[0];
                        double[] cpu = ms[1];
                        Arrays.sort(wall);
                        Arrays.sort(cpu);
                        System.out.printf("%4dx%-4d    %d      %6.1f %6.1f %6.1f               %6.1f %6.1f%n", wh[0],
                                wh[1], batch, wall[RUNS / 2], wall[0], wall[RUNS - 1], cpu[RUNS / 2], cpu[0]);
                        input.close();
                    }
                }
            }
        }
    }

    /** Wall and thread-CPU milliseconds per frame, one value per run. */
    static double[][] measure(Predictor<NDList, NDList> predictor, NDArray input, int batch) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            predictor.predict(new NDList(input)).close();
        }
        double[][] ms = new double[2][RUNS];
        for (int r = 0; r < RUNS; r++) {
            long start = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < FRAMES_PER_RUN / batch; i++) {
                NDList out = predictor.predict(new NDList(input));
                assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(batch, 6, 56));
                out.close();
            }
            ms[0][r] = (System.nanoTime() - start) / 1e6 / FRAMES_PER_RUN;
            ms[1][r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / FRAMES_PER_RUN;
        }
        return ms;
    }
}
