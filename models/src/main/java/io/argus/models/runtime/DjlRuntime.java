package io.argus.models.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The DJL PyTorch engine as Argus runs it: offline (natives from the {@code pytorch-native-*}
 * jar on the classpath, nothing downloaded) and on a device chosen by configuration.
 */
public final class DjlRuntime {

    public static final String ENGINE = "PyTorch";

    private DjlRuntime() {}

    /** System property: intra-op threads of each PyTorch engine (one JVM, so one per task manager). */
    public static final String THREADS = "ai.djl.pytorch.num_threads";
    /** System property: inter-op threads of each PyTorch engine. */
    public static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    /**
     * Forbids DJL from downloading anything at run time, then loads the PyTorch engine.
     *
     * <p>Unless the JVM says otherwise, PyTorch gets one intra-op and one inter-op thread: Argus
     * scales inference with task slots, and with as many OpenMP threads as cores in every slot the
     * threads spin waiting for each other whenever another slot or the decoder holds a core (seen
     * here: about 390 ms instead of 4 ms per MobileNetV2 frame on two busy cores).
     */
    public static Engine pytorch() {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty(THREADS) == null) {
            System.setProperty(THREADS, "1");
        }
        if (System.getProperty(INTEROP_THREADS) == null) {
            System.setProperty(INTEROP_THREADS, "1");
        }
        return Engine.getEngine(ENGINE);
    }

    /**
     * Resolves a device setting: {@code cpu}, {@code gpu} / {@code gpu:N}, or {@code auto}
     * (the first GPU when the engine sees one, else the CPU).
     */
    public static Device device(String setting) {
        String s = setting.trim().toLowerCase(java.util.Locale.ROOT);
        Engine engine = pytorch();
        if (s.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int id = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            if (id >= engine.getGpuCount()) {
                throw new IllegalArgumentException(
                        "device '" + setting + "' asked for, but the engine sees "
                                + engine.getGpuCount() + " GPU(s); use cpu or auto");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException(
                "unknown device '" + setting + "': use cpu, gpu, gpu:N or auto");
    }
}
