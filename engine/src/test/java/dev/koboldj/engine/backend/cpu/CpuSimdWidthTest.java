package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The width forced with -Dkoboldj.vectorBitSize is the one the kernels use (so the scalar and 128-bit test runs test what they claim). */
class CpuSimdWidthTest {
    @Test
    void forcedWidthIsInEffect() {
        String forced = System.getProperty("koboldj.vectorBitSize");
        System.out.println("CPU kernels under test: " + (Simd.ENABLED ? Simd.BITS + "-bit SIMD, " + Simd.LANES + " lanes" : "scalar twins (SIMD off)"));
        if (forced != null) {
            assertEquals(Integer.parseInt(forced), Simd.BITS);
            assertEquals(Simd.BITS >= 128, Simd.ENABLED);
        }
    }
}
