package dev.koboldj.vulkan;

import static dev.koboldj.vulkan.VulkanTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.backend.cpu.CpuBackend;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.UnsupportedTensorTypeException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * matmul (with every epilogue) and getRows for every weight format the shaders decode, against the CPU backend on
 * random weights: odd row counts N, K of one or more blocks (odd K for float formats), M = 1, 7, 33 and 70 (both
 * tile heights, partial tiles). Both backends decode the same bytes to the same floats, so the bound is float32
 * summation order over K: 1e-5 of the largest output. On a device with cooperative matrices, batches (M > 16) run
 * with float16 inputs: there the bound is 4e-3 (half-precision rounding of x and w, 2^-11 each, over random sums).
 */
class MatmulConformanceTest {
    static final double BOUND = 1e-5;
    static final double COOPMAT_BOUND = 4e-3;

    static CpuBackend cpu;
    static VulkanBackend gpu;
    static Twin twin;

    @BeforeAll
    static void open() {
        gpu = VulkanTestSupport.open();
        cpu = new CpuBackend(2);
        twin = new Twin(cpu, gpu);
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (cpu != null) cpu.close();
    }

    @AfterEach
    void noValidationMessages() {
        VulkanTestSupport.assertNoValidationMessages(gpu);
    }

    record Case(int m, int blocks, int oddK, int n, Activation act, boolean bias, boolean residual) {
    }

    static final Case[] CASES = {
            new Case(1, 1, 61, 37, Activation.NONE, false, false),
            new Case(7, 2, 64, 67, Activation.GELU, true, false),
            new Case(33, 1, 100, 130, Activation.SILU, true, true),
            new Case(70, 3, 95, 65, Activation.NONE, true, true),
    };

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void matmul(GgmlType type) {
        Random r = new Random(type.id * 31L + 1);
        for (Case c : CASES) {
            int m = c.m, k = TestData.cols(type, c.blocks, c.oddK), n = c.n;
            WeightTensor w = TestData.matrix("w", type, n, k, r);
            WeightTensor bias = TestData.vector("b", TestData.gaussian(r, n, 1));
            float[] x = TestData.gaussian(r, m * k, 1), res = TestData.gaussian(r, m * n, 1);
            float[][] out = twin.run(ctx -> {
                Activations xb = ctx.f32(m, k, x), o = ctx.f32(m, n, null), rb = ctx.f32(m, n, res);
                ctx.stream.matmul(xb, ctx.upload(w), c.bias ? ctx.upload(bias) : null, c.act, c.residual ? rb : null, o);
                return ctx.read(o, m * n);
            });
            assertClose(out[0], out[1], gpu.cooperativeMatrices() && m > 16 ? COOPMAT_BOUND : BOUND, type + " " + c + " K=" + k);
        }
    }

    @Test
    void unsupportedFormatsAreRefusedByType() {
        WeightTensor w = new WeightTensor("iq", GgmlType.IQ4_NL, new long[] {32, 2}, java.lang.foreign.MemorySegment.ofArray(new byte[36]));
        UnsupportedTensorTypeException e = assertThrows(UnsupportedTensorTypeException.class, () -> gpu.upload(w));
        assertEquals(GgmlType.IQ4_NL, e.type());
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void getRows(GgmlType type) {
        Random r = new Random(type.id * 17L + 3);
        int rows = 23, cols = TestData.cols(type, 2, 77);
        WeightTensor table = TestData.matrix("table", type, rows, cols, r);
        int[] ids = {0, 22, 5, 5, 17, 1, 9};
        float[][] out = twin.run(ctx -> {
            Activations id = ctx.i32(ids.length, 1, ids), o = ctx.f32(ids.length, cols, null);
            ctx.stream.getRows(ctx.upload(table), id, o);
            return ctx.read(o, ids.length * cols);
        });
        assertClose(out[0], out[1], 0, type + " getRows");
    }
}
