package dev.koboldj.vulkan;

import static dev.koboldj.vulkan.VulkanTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.backend.Rope;
import dev.koboldj.engine.backend.SequenceLayout;
import dev.koboldj.engine.backend.cpu.CpuBackend;
import dev.koboldj.engine.gguf.GgmlType;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every element-wise, normalisation, rope, attention, pooling and copy op on Vulkan against the CPU backend, on
 * seeded random inputs of odd sizes, with the validation layer (and synchronisation validation) watching. Error
 * bounds are normalised: max |vulkan - cpu| / max |cpu| over the output.
 */
class OpConformanceTest {
    /** Float32 ops that differ from the CPU only in summation order and libm: a few ulps of the largest value. */
    static final double TIGHT = 2e-6;
    /** Reductions over a row or a sequence (norms, pooling, attention): summation order over hundreds of terms. */
    static final double REDUCTION = 1e-5;

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

    @Test
    void addAndSwiglu() {
        Random r = new Random(1);
        int rows = 13, cols = 77;
        float[] a = TestData.gaussian(r, rows * cols, 2), b = TestData.gaussian(r, rows * cols, 2);
        float[][] add = twin.run(c -> {
            Activations x = c.f32(rows, cols, a), y = c.f32(rows, cols, b), o = c.f32(rows, cols, null);
            c.stream.add(x, y, o);
            return c.read(o, rows * cols);
        });
        assertClose(add[0], add[1], 0, "add");
        float[][] swiglu = twin.run(c -> {
            Activations x = c.f32(rows, cols, a), y = c.f32(rows, cols, b);
            c.stream.swiglu(x, y, x); // out aliases gate
            return c.read(x, rows * cols);
        });
        assertClose(swiglu[0], swiglu[1], TIGHT, "swiglu");
        float[][] addInPlace = twin.run(c -> {
            Activations x = c.f32(rows, cols, a), y = c.f32(rows, cols, b);
            c.stream.add(x.rows(5), y, y.rows(5)); // views: only the first 5 rows change
            return c.read(y, rows * cols);
        });
        assertClose(addInPlace[0], addInPlace[1], 0, "add on views");
    }

    @Test
    void layerNormWithAndWithoutBeta() {
        Random r = new Random(2);
        int rows = 9, cols = 301;
        float[] x = TestData.gaussian(r, rows * cols, 3);
        for (int i = 0; i < x.length; i++) x[i] += 1.5f;
        var gamma = TestData.vector("g", TestData.gaussian(r, cols, 1));
        var beta = TestData.vector("b", TestData.gaussian(r, cols, 1));
        for (boolean withBeta : new boolean[] {true, false}) {
            float[][] out = twin.run(c -> {
                Activations in = c.f32(rows, cols, x);
                c.stream.layerNorm(in, c.upload(gamma), withBeta ? c.upload(beta) : null, 1e-12f, in);
                return c.read(in, rows * cols);
            });
            assertClose(out[0], out[1], REDUCTION, "layerNorm beta=" + withBeta);
        }
    }

    @Test
    void rmsNormPerRowAndPerHead() {
        Random r = new Random(3);
        int rows = 11, heads = 5, headDim = 24, cols = heads * headDim;
        float[] x = TestData.gaussian(r, rows * cols, 2);
        var rowGamma = TestData.vector("g", TestData.gaussian(r, cols, 1));
        var headGamma = TestData.vector("h", TestData.gaussian(r, headDim, 1));
        for (var gamma : new dev.koboldj.engine.backend.WeightTensor[] {rowGamma, headGamma}) {
            float[][] out = twin.run(c -> {
                Activations in = c.f32(rows, cols, x), o = c.f32(rows, cols, null);
                c.stream.rmsNorm(in, c.upload(gamma), 1e-6f, o);
                return c.read(o, rows * cols);
            });
            assertClose(out[0], out[1], REDUCTION, "rmsNorm over " + gamma.cols());
        }
    }

    @Test
    void l2NormalizeKeepsZeroRows() {
        Random r = new Random(4);
        int rows = 6, cols = 385;
        float[] x = TestData.gaussian(r, rows * cols, 4);
        java.util.Arrays.fill(x, 2 * cols, 3 * cols, 0f);
        float[][] out = twin.run(c -> {
            Activations in = c.f32(rows, cols, x);
            c.stream.l2Normalize(in, in);
            return c.read(in, rows * cols);
        });
        assertClose(out[0], out[1], REDUCTION, "l2Normalize");
        for (int i = 2 * cols; i < 3 * cols; i++) assertEquals(0f, out[1][i], "zero row stays zero");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void ropeBothStyles(boolean neox) {
        Random r = new Random(5);
        int rows = 19, heads = 3, headDim = 40;
        float[] x = TestData.gaussian(r, rows * heads * headDim, 1);
        int[] pos = new int[rows];
        for (int i = 0; i < rows; i++) pos[i] = i < 10 ? i : r.nextInt(5000);
        for (int rotary : new int[] {headDim, 24}) {
            Rope rope = new Rope(heads, headDim, rotary, 10000f, neox);
            float[][] out = twin.run(c -> {
                Activations in = c.f32(rows, heads * headDim, x), p = c.i32(rows, 1, pos);
                c.stream.rope(in, p, rope);
                return c.read(in, rows * heads * headDim);
            });
            // Angles up to 5000 rad: the CPU turns them in double, the GPU in 64-bit fixed-point turns.
            assertClose(out[0], out[1], TIGHT * 2, "rope " + rope);
        }
    }

    static float[][] attention(SequenceLayout layout, Attention shape, int keyRows, long seed) {
        Random r = new Random(seed);
        int qRows = 0;
        for (int s = 0; s < layout.sequenceCount(); s++) qRows = Math.max(qRows, layout.queryStart(s) + layout.queryLength(s));
        int qCols = shape.headCount() * shape.headDim(), kCols = shape.kvHeadCount() * shape.headDim(), rows = qRows;
        float[] q = TestData.gaussian(r, rows * qCols, 1), k = TestData.gaussian(r, keyRows * kCols, 1), v = TestData.gaussian(r, keyRows * kCols, 1);
        return twin.run(c -> {
            Activations qb = c.f32(rows, qCols, q), kb = c.f32(keyRows, kCols, k), vb = c.f32(keyRows, kCols, v);
            Activations o = c.f32(rows, qCols, new float[rows * qCols]);
            c.stream.attention(qb, kb, vb, layout, shape, o);
            return c.read(o, rows * qCols);
        });
    }

    @Test
    void attentionOverPackedSequences() {
        SequenceLayout layout = SequenceLayout.packed(1, 7, 33, 64, 130);
        int rows = layout.queryRows();
        for (int headDim : new int[] {32, 80}) {
            Attention shape = new Attention(4, 4, headDim, (float) (1 / Math.sqrt(headDim)), false);
            float[][] out = attention(layout, shape, rows, 6);
            assertClose(out[0], out[1], REDUCTION, "attention head dim " + headDim);
        }
    }

    @Test
    void causalGroupedQueryAttention() {
        SequenceLayout layout = SequenceLayout.packed(5, 70, 1, 17);
        Attention shape = new Attention(6, 2, 64, 0.125f, true);
        float[][] out = attention(layout, shape, layout.queryRows(), 7);
        assertClose(out[0], out[1], REDUCTION, "causal GQA attention");
    }

    @Test
    void attentionWithKeysAheadOfQueries() {
        // A KV cache: each sequence has 3 new query rows at the end of its keys, stored in a separate key buffer.
        SequenceLayout layout = new SequenceLayout(new int[] {0, 3}, new int[] {3, 3}, new int[] {0, 40}, new int[] {40, 90});
        Attention shape = new Attention(4, 1, 48, 0.15f, true);
        float[][] out = attention(layout, shape, 130, 8);
        assertClose(out[0], out[1], REDUCTION, "attention over a KV cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MEAN", "CLS", "LAST"})
    void pooling(String name) {
        Pooling mode = Pooling.valueOf(name);
        Random r = new Random(9);
        SequenceLayout layout = SequenceLayout.packed(3, 0, 41, 1, 9);
        int rows = layout.queryRows(), cols = 97;
        float[] h = TestData.gaussian(r, rows * cols, 1);
        float[][] out = twin.run(c -> {
            Activations hidden = c.f32(rows, cols, h), o = c.f32(6, cols, new float[6 * cols]);
            c.stream.pool(hidden, layout, mode, o);
            return c.read(o, 6 * cols);
        });
        assertClose(out[0], out[1], REDUCTION, "pool " + mode);
    }

    @Test
    void copyRowsAndPartialReads() {
        Random r = new Random(10);
        int cols = 33;
        float[] src = TestData.gaussian(r, 5 * cols, 1);
        float[][] rows = twin.run(c -> {
            Activations s = c.f32(5, cols, src), d = c.f32(20, cols, new float[20 * cols]);
            c.stream.copyRows(s.rows(3), d, 11);
            return c.read(d, 20 * cols - 7); // a partial read
        });
        assertClose(rows[0], rows[1], 0, "copyRows F32");
        float[] table = new float[24];
        for (int i = 0; i < table.length; i++) table[i] = i;
        var lookup = new dev.koboldj.engine.backend.WeightTensor("t24", GgmlType.F32, new long[] {1, 24}, java.lang.foreign.MemorySegment.ofArray(table));
        float[][] ids = twin.run(c -> {
            Activations si = c.i32(5, 1, new int[] {4, 8, 15, 16, 23}), di = c.i32(9, 1, new int[9]);
            c.stream.copyRows(si, di, 4);
            Activations looked = c.f32(9, 1, null);
            c.stream.getRows(c.upload(lookup), di, looked); // shows where the I32 rows landed
            return c.read(looked, 9);
        });
        assertClose(ids[0], ids[1], 0, "copyRows I32");
        assertEquals(23f, ids[1][8]);
    }

    @Test
    void emptyViewsRecordNothing() {
        int cols = 64;
        var gamma = TestData.vector("g", new float[cols]);
        var w = TestData.matrix("w", GgmlType.F32, 8, cols, new Random(12));
        float[][] out = twin.run(c -> {
            Activations x = c.f32(4, cols, new float[4 * cols]), p = c.i32(4, 1, new int[4]), o = c.f32(4, 8, null);
            Activations none = x.rows(0);
            c.stream.add(none, none, none);
            c.stream.layerNorm(none, c.upload(gamma), null, 1e-5f, none);
            c.stream.rope(none, p, new Rope(1, cols, cols, 10000f, true));
            c.stream.matmul(none, c.upload(w), o.rows(0));
            c.stream.attention(none, none, none, SequenceLayout.packed(), new Attention(1, 1, cols, 1f, false), c.f32(4, cols, null).rows(0));
            return c.read(x, 0);
        });
        assertEquals(0, out[1].length);
    }

    @Test
    void aStreamClosedBeforeAwaitDropsItsWorkAndTheNextStreamReusesItsResources() {
        Activations a = gpu.allocate(dev.koboldj.engine.backend.ElementType.F32, 2, 3);
        try {
            try (var s = gpu.stream()) {
                s.write(a, new float[] {1, 2, 3, 4, 5, 6});
                s.await();
            }
            try (var s = gpu.stream()) {
                s.write(a, new float[] {9, 9, 9, 9, 9, 9}); // never submitted
            }
            float[] r = new float[6];
            try (var s = gpu.stream()) {
                s.add(a, a, a);
                s.read(a, r);
                s.await();
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, r);
        } finally {
            gpu.free(a);
        }
    }

    @Test
    void matmulEpiloguesOnF32() {
        Random r = new Random(11);
        int m = 7, k = 45, n = 29;
        var w = TestData.matrix("w", GgmlType.F32, n, k, r);
        var bias = TestData.vector("b", TestData.gaussian(r, n, 1));
        float[] x = TestData.gaussian(r, m * k, 1), res = TestData.gaussian(r, m * n, 1);
        for (Activation act : Activation.values()) {
            float[][] out = twin.run(c -> {
                Activations xb = c.f32(m, k, x), o = c.f32(m, n, res);
                c.stream.matmul(xb, c.upload(w), c.upload(bias), act, o, o); // residual is out itself
                return c.read(o, m * n);
            });
            assertClose(out[0], out[1], TIGHT * 4, "matmul epilogue " + act);
        }
    }
}
