package dev.koboldj.vulkan;

import static dev.koboldj.vulkan.VulkanTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.MemoryUsage;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.backend.cpu.CpuBackend;
import dev.koboldj.engine.gguf.GgmlType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The memory paths real GPUs take: uploads through a staging buffer (forced on lavapipe, whose only memory type is
 * host-visible), tensors split into row parts below the storage-buffer limit, and refusal with numbers when a model
 * does not fit.
 */
class DeviceMemoryTest {

    /** matmul and getRows of a weight on {@code gpu} against the CPU. */
    private static void checkAgainstCpu(VulkanBackend gpu, WeightTensor w, int m) {
        Random r = new Random(5);
        int k = w.cols(), n = w.rows();
        float[] x = TestData.gaussian(r, m * k, 1);
        int[] ids = {n - 1, 0, n / 2, 1};
        try (CpuBackend cpu = new CpuBackend(2)) {
            Twin twin = new Twin(cpu, gpu);
            float[][] out = twin.run(c -> {
                Activations xb = c.f32(m, k, x), o = c.f32(m, n, null);
                c.stream.matmul(xb, c.upload(w), o);
                return c.read(o, m * n);
            });
            assertClose(out[0], out[1], 1e-5, "matmul " + w.type());
            float[][] rows = twin.run(c -> {
                Activations id = c.i32(ids.length, 1, ids), o = c.f32(ids.length, k, null);
                c.stream.getRows(c.upload(w), id, o);
                return c.read(o, ids.length * k);
            });
            assertClose(rows[0], rows[1], 0, "getRows " + w.type());
        }
        VulkanTestSupport.assertNoValidationMessages(gpu);
    }

    @Test
    void forcedStagingUploadsThroughTheStagingBuffer() {
        WeightTensor w = TestData.matrix("w", GgmlType.F16, 45, 70, new Random(1));
        try (VulkanBackend gpu = VulkanTestSupport.open(new BackendOptions(0, -1, true), VulkanTestSupport.config())) {
            checkAgainstCpu(gpu, w, 9);
            assertTrue(gpu.stagedBytes.get() >= w.data().byteSize(), "weights went through the staging buffer");
        }
    }

    @Test
    void largeTensorsAreSplitIntoRowParts() {
        // Buffers capped at 4 KiB: a 37 x 256 F32 weight (1 KiB rows) takes 10 parts, a Q8_0 one 2 parts.
        VulkanConfig small = VulkanTestSupport.config().withMaxBufferBytes(4096);
        try (VulkanBackend gpu = VulkanTestSupport.open(BackendOptions.defaults(), small)) {
            WeightTensor f32 = TestData.matrix("f32", GgmlType.F32, 37, 256, new Random(2));
            assertEquals(10, ((VulkanWeights) gpu.upload(f32)).parts.size());
            checkAgainstCpu(gpu, f32, 3);
            WeightTensor f16 = TestData.matrix("f16", GgmlType.F16, 41, 96, new Random(3));
            assertEquals(2, ((VulkanWeights) gpu.upload(f16)).parts.size());
            checkAgainstCpu(gpu, f16, 5);
        }
    }

    @Test
    void aModelThatDoesNotFitIsRefusedWithTheNumbers() {
        VulkanConfig limited = VulkanTestSupport.config().withMemoryLimit(3L << 20);
        try (VulkanBackend gpu = VulkanTestSupport.open(BackendOptions.defaults(), limited)) {
            assertEquals(3L << 20, gpu.memory().capacityBytes());
            MemoryUsage before = gpu.memory();
            WeightTensor big = TestData.matrix("blk.0.ffn_up.weight", GgmlType.F32, 1024, 1024, new Random(4)); // 4 MiB
            DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> gpu.upload(big));
            assertTrue(e.getMessage().contains("blk.0.ffn_up.weight") && e.getMessage().contains("4.0 MiB")
                    && e.getMessage().contains("3.0 MiB usable"), e.getMessage());
            assertEquals(before, gpu.memory(), "a refused upload holds nothing");
            assertThrows(DeviceMemoryException.class, () -> gpu.allocate(ElementType.F32, 1024, 1024));
            // What fits still works, and is accounted.
            WeightTensor fits = TestData.matrix("w", GgmlType.F32, 256, 1024, new Random(5)); // 1 MiB
            gpu.upload(fits);
            assertTrue(gpu.memory().weightBytes() >= 1 << 20 && gpu.memory().totalBytes() <= 3L << 20, gpu.memory().toString());
            Activations a = gpu.allocate(ElementType.F32, 100, 1000);
            assertTrue(gpu.memory().activationBytes() >= 400_000);
            gpu.free(a);
        }
    }

    @Test
    void capacityIsTheDeviceLocalHeap() {
        try (VulkanBackend gpu = VulkanTestSupport.open()) {
            assertEquals(gpu.device.info.deviceLocalHeapBytes, gpu.memory().capacityBytes());
            assertTrue(gpu.memory().capacityBytes() > 0);
        }
    }
}
