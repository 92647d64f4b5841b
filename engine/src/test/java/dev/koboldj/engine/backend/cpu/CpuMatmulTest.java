package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests of {@link Matmul}: every path (row path for small M, panel path, scalar path when SIMD is off)
 * must give exactly the bits of {@link ScalarKernels#matmul} over the codec's decoded rows, for every format, odd
 * shapes (partial panels and tiles), weights at unaligned offsets, with and without bias, activation and residual
 * (also a residual that is the output itself).
 */
class CpuMatmulTest {
    static Stream<GgmlType> formats() {
        return Arrays.stream(TestWeights.FORMATS);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void everyPathGivesTheBitsOfTheScalarTwin(GgmlType type) {
        int[] ms = {1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 33, 50, Matmul.ROW_PATH_MAX_ROWS + 1, Matmul.ROW_PATH_MAX_ROWS + 27};
        int[][] shapes = {{TestWeights.cols(type, 1, 1), 5}, {TestWeights.cols(type, 1, 37), 35}, {TestWeights.cols(type, 3, 70), 33},
                {TestWeights.cols(type, 2, 64), 64}};
        try (WorkerPool pool = new WorkerPool(3)) {
            CpuScratch local = new CpuScratch();
            long seed = 1;
            for (int[] shape : shapes) {
                int k = shape[0], n = shape[1];
                WeightTensor t = TestWeights.matrix(type, k, n, seed++, (int) (seed % 5));
                float[] rows = TestWeights.decode(t);
                // Packable formats run both packed (panels kept) and unpacked (decoded per call, row and panel paths).
                for (boolean pack : PackedPanels.supports(type) ? new boolean[]{true, false} : new boolean[]{false}) {
                    CpuWeights w = new CpuWeights(t, bytes -> { }, pack);
                    for (int m : ms) {
                        for (int variant = 0; variant < 6; variant++) {
                            boolean withBias = variant % 2 == 1;
                            Activation act = Activation.values()[variant % 3];
                            int residualKind = variant / 2; // 0 none, 1 separate buffer, 2 the output itself
                            check(pool, local, w, rows, m, withBias, act, residualKind, seed++);
                        }
                    }
                }
            }
        }
    }

    private static void check(WorkerPool pool, CpuScratch local, CpuWeights w, float[] rows, int m, boolean withBias, Activation act,
                              int residualKind, long seed) {
        int k = w.cols, n = w.rows;
        float[] x = TestWeights.floats(m * k, seed, 2f);
        float[] bias = withBias ? TestWeights.floats(n, seed + 1, 0.5f) : null;
        float[] res = residualKind == 0 ? null : TestWeights.floats(m * n, seed + 2, 1f);
        float[] expected = new float[m * n];
        // One row against unpacked weights is a matrix-vector product with its own (lane-split) order.
        if (m == 1 && Simd.ENABLED && w.panels(pool) == null) ScalarKernels.gemv(x, k, rows, n, bias, act, res, expected, Simd.LANES);
        else ScalarKernels.matmul(x, m, k, rows, n, bias, act, res, expected);

        float[] out = residualKind == 2 ? res.clone() : TestWeights.floats(m * n, seed + 3, 9f);
        float[] padded = bias == null ? null : Arrays.copyOf(bias, Matmul.paddedLength(n));
        Matmul.run(pool, local, x, m, w, padded, act, residualKind == 2 ? out : res, out);
        assertArrayEquals(expected, out, () -> w.type() + " M=" + m + " K=" + k + " N=" + n + " bias=" + withBias + " " + act + " residual=" + residualKind);
    }

    @Test
    void aRowGetsTheSameBitsAloneAndInsideALargerBatch() {
        // The row path (small M, unpacked), the panel path (large M, unpacked) and the packed panels compute each
        // output the same way.
        WeightTensor t = TestWeights.matrix(GgmlType.Q8_0, 96, 50, 7, 3);
        float[] bias = Arrays.copyOf(TestWeights.floats(50, 8, 1f), Matmul.paddedLength(50));
        float[] x = TestWeights.floats(300 * 96, 9, 1f);
        try (WorkerPool pool = new WorkerPool(2)) {
            CpuWeights unpacked = new CpuWeights(t, bytes -> { }, false), packed = new CpuWeights(t, bytes -> { }, true);
            float[] all = new float[300 * 50];
            Matmul.run(pool, new CpuScratch(), x, 300, unpacked, bias, Activation.GELU, null, all);
            for (CpuWeights w : new CpuWeights[]{unpacked, packed}) {
                for (int m : new int[]{2, 3, 300}) {
                    float[] some = new float[m * 50];
                    Matmul.run(pool, new CpuScratch(), Arrays.copyOf(x, m * 96), m, w, bias, Activation.GELU, null, some);
                    assertArrayEquals(Arrays.copyOf(all, m * 50), some, "M=" + m + (w == packed ? " packed" : ""));
                }
            }
        }
    }

    @Test
    void theStreamPadsTheBiasAndChecksShapes() {
        try (CpuBackend backend = new CpuBackend(2); CommandStream s = backend.stream()) {
            WeightTensor wt = TestWeights.matrix(GgmlType.F16, 40, 21, 11, 1);
            DeviceWeights w = backend.upload(wt), b = backend.upload(TestWeights.vector(21, 12, 1f));
            float[] x = TestWeights.floats(20 * 40, 13, 1f);
            Activations xa = backend.allocate(ElementType.F32, 20, 40), out = backend.allocate(ElementType.F32, 20, 21);
            s.write(xa, x);
            s.matmul(xa, w, b, Activation.SILU, null, out);
            float[] got = new float[20 * 21];
            s.read(out, got);
            s.await();
            float[] expected = new float[20 * 21];
            ScalarKernels.matmul(x, 20, 40, TestWeights.decode(wt), 21, TestWeights.decode(TestWeights.vector(21, 12, 1f)), Activation.SILU, null, expected);
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void spreadVisitsEveryTaskOnceAndGivesEachThreadItsOwnRegion() {
        for (int threads = 1; threads <= 16; threads++) {
            for (int n = 1; n <= 100; n++) {
                int[] order = new int[n];
                for (int t = 0; t < n; t++) order[t] = Matmul.spread(t, n, threads);
                int[] sorted = order.clone();
                Arrays.sort(sorted);
                int[] all = new int[n];
                Arrays.setAll(all, i -> i);
                assertArrayEquals(all, sorted, n + " tasks, " + threads + " threads");
                // claims in turn: thread j's successive tasks are consecutive (its own region)
                for (int t = threads; t < n; t++) {
                    if (t < n / threads * threads) assertEquals(order[t - threads] + 1, order[t], "claim " + t);
                }
            }
        }
    }
}
