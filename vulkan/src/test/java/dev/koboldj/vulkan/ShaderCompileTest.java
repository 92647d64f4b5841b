package dev.koboldj.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GLSL compiles to SPIR-V for every variant, needing no Vulkan device: in particular the cooperative-matrix matmul,
 * which no device here can run (lavapipe has no cooperative matrices), for every weight format and the subgroup
 * sizes of NVIDIA (32) and AMD (64).
 */
class ShaderCompileTest {
    @TempDir
    Path cache;

    static void assertSpirv(byte[] spv) {
        assertTrue(spv.length > 20 && spv.length % 4 == 0);
        assertEquals(0x07230203, ByteBuffer.wrap(spv).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void cooperativeMatrixMatmulCompiles(GgmlType type) {
        for (int subgroup : new int[] {32, 64}) {
            Kernel k = Kernels.matmulCoopmat(type, subgroup, true);
            assertSpirv(ShaderCompiler.compile(k.file(), k.defines(), k.vulkan13(), null));
        }
    }

    @Test
    void spirvIsCachedOnDisk() throws Exception {
        Kernel k = Kernels.BINARY;
        byte[] first = ShaderCompiler.compile(k.file(), Map.of("UNIQUE_TO_THIS_TEST", Long.toString(System.nanoTime() % 1_000_000_000)), false, cache);
        assertSpirv(first);
        try (var files = Files.list(cache)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".spv")).count());
        }
    }

    @Test
    void compileErrorsNameTheShader() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ShaderCompiler.compile("getrows.comp", Map.of(), false, null)); // no W_<FORMAT>: dequant.glsl's #error
        assertTrue(e.getMessage().contains("getrows.comp") && e.getMessage().contains("define one W_<FORMAT>"), e.getMessage());
    }
}
