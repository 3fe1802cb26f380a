package io.argus.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The real PyTorch engine loads offline from the natives jar and computes on the CPU. */
class PyTorchEngineTest {

    @Test
    void loadsOfflineAndMultipliesMatrices() {
        Engine engine = DjlRuntime.pytorch();
        assertThat(engine.getEngineName()).isEqualTo("PyTorch");
        assertThat(engine.getVersion()).startsWith("2.5.1");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
            assertThat(a.matMul(b).toFloatArray()).containsExactly(19, 22, 43, 50);
        }
    }

    @Test
    void autoFallsBackToCpuWithoutGpuAndUnknownDevicesAreRefused() {
        if (DjlRuntime.pytorch().getGpuCount() == 0) {
            assertThat(DjlRuntime.device("auto")).isEqualTo(Device.cpu());
            assertThatThrownBy(() -> DjlRuntime.device("gpu:0")).hasMessageContaining("cpu or auto");
        }
        assertThat(DjlRuntime.device("cpu")).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> DjlRuntime.device("tpu")).hasMessageContaining("unknown device 'tpu'");
    }
}
