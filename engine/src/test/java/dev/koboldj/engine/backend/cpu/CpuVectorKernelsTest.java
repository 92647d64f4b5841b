package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorKernels} against {@link ScalarKernels} over odd lengths and unaligned offsets: element-wise kernels to
 * the bit, reductions (whose summation order differs by design) to a relative tolerance.
 */
class CpuVectorKernelsTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 100, 384, 1001};
    private static final int[] OFFSETS = {0, 1, 3, 5};

    @Test
    void reductions() {
        for (int n : LENGTHS) {
            for (int o : OFFSETS) {
                float[] a = TestWeights.floats(n + o + 4, n * 31L + o, 3f), b = TestWeights.floats(n + o + 4, n * 17L + o, 3f);
                double scale = 1e-5 * Math.max(1, n);
                assertEquals(ScalarKernels.dot(a, o, b, o + 1, n), VectorKernels.dot(a, o, b, o + 1, n), scale * 9, "dot n=" + n + " o=" + o);
                assertEquals(ScalarKernels.sum(a, o, n), VectorKernels.sum(a, o, n), scale * 3, "sum n=" + n);
                assertEquals(ScalarKernels.sumSquaredDeviations(a, o, n, 0.3f), VectorKernels.sumSquaredDeviations(a, o, n, 0.3f), scale * 9, "ssd n=" + n);
            }
        }
    }

    @Test
    void elementWiseKernelsAreBitExact() {
        for (int n : LENGTHS) {
            for (int o : OFFSETS) {
                float[] a = TestWeights.floats(n + o + 4, n * 7L + o, 6f), b = TestWeights.floats(n + o + 4, n * 13L + o, 6f);
                float[] gamma = TestWeights.floats(n, 3, 1f), beta = TestWeights.floats(n, 4, 1f);
                assertArrayEquals(scalar(a, x -> ScalarKernels.gelu(x, o, n)), vector(a, x -> VectorKernels.gelu(x, o, n)), "gelu n=" + n);
                assertArrayEquals(scalar(a, x -> ScalarKernels.silu(x, o, n)), vector(a, x -> VectorKernels.silu(x, o, n)), "silu n=" + n);
                assertArrayEquals(scalar(a, x -> ScalarKernels.scale(x, o, 0.37f, n)), vector(a, x -> VectorKernels.scale(x, o, 0.37f, n)), "scale n=" + n);
                assertArrayEquals(scalar(a, x -> ScalarKernels.axpy(0.7f, b, o + 2, x, o, n)), vector(a, x -> VectorKernels.axpy(0.7f, b, o + 2, x, o, n)), "axpy");
                assertArrayEquals(scalar(a, x -> ScalarKernels.add(b, o + 1, b, o, x, o, n)), vector(a, x -> VectorKernels.add(b, o + 1, b, o, x, o, n)), "add");
                assertArrayEquals(scalar(a, x -> ScalarKernels.swiglu(b, o, b, o + 2, x, o + 1, n)), vector(a, x -> VectorKernels.swiglu(b, o, b, o + 2, x, o + 1, n)), "swiglu");
                for (float[] bt : new float[][]{beta, null}) {
                    assertArrayEquals(scalar(a, x -> ScalarKernels.normalize(b, o, 0.2f, 1.3f, gamma, bt, x, o + 1, n)),
                            vector(a, x -> VectorKernels.normalize(b, o, 0.2f, 1.3f, gamma, bt, x, o + 1, n)), "normalize");
                }
            }
        }
    }

    @Test
    void softmaxRowEqualsItsTwin() {
        for (int n : LENGTHS) {
            if (n == 0) continue;
            float[] s = TestWeights.floats(n + 9, n, 8f);
            for (int visible : new int[]{1, (n + 1) / 2, n}) {
                float[] a = s.clone(), b = s.clone();
                ScalarKernels.softmaxRow(a, 2, visible, n, 0.7f);
                AttentionKernels.softmaxRow(b, 2, visible, n, 0.7f);
                // Entries past 2 + n are the vector version's scratch lanes.
                assertArrayEquals(Arrays.copyOf(a, 2 + n), Arrays.copyOf(b, 2 + n), "softmax n=" + n + " visible=" + visible);
            }
        }
    }

    private interface Op {
        void apply(float[] x);
    }

    private static float[] scalar(float[] a, Op op) {
        float[] x = Arrays.copyOf(a, a.length);
        op.apply(x);
        return x;
    }

    private static float[] vector(float[] a, Op op) {
        return scalar(a, op);
    }
}
