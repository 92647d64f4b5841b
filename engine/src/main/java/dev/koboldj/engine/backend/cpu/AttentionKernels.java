package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;
import static dev.koboldj.engine.backend.cpu.Simd.F;
import static dev.koboldj.engine.backend.cpu.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Pieces of {@link Attend}: key panels and the softmax of one score row ({@link ScalarKernels#softmaxRow} is its twin). */
final class AttentionKernels {
    private AttentionKernels() {
    }

    /**
     * Packs {@code count <= PW} key rows of one head ({@code k[base + j*stride + c]}, c < d) into a d x PW panel
     * {@code kt[off + c*PW + j]}; key columns j >= count are zero.
     */
    static void packKeys(float[] k, int base, int stride, int count, int d, float[] kt, int off) {
        // Column by column: the reads stride through a few kilobytes of key rows (L1), the writes are contiguous.
        for (int c = 0; c < d; c++) {
            int p = off + c * PW, r = base + c;
            for (int j = 0; j < count; j++) kt[p + j] = k[r + j * stride];
            for (int j = count; j < PW; j++) kt[p + j] = 0f;
        }
    }

    /** Copies {@code cols <= PW} columns of {@code rows} rows ({@code v[base + j*stride + c]}) into {@code dst[j*PW + c]}, zero-padded to PW. */
    static void copyColumns(float[] v, int base, int stride, int rows, int cols, float[] dst) {
        if (cols == PW && Simd.ENABLED) {
            for (int j = 0; j < rows; j++) {
                int src = base + j * stride;
                FloatVector.fromArray(F, v, src).intoArray(dst, j * PW);
                FloatVector.fromArray(F, v, src + LANES).intoArray(dst, j * PW + LANES);
            }
            return;
        }
        for (int j = 0; j < rows; j++) {
            System.arraycopy(v, base + j * stride, dst, j * PW, cols);
            java.util.Arrays.fill(dst, j * PW + cols, (j + 1) * PW, 0f);
        }
    }

    /**
     * Turns raw scores {@code s[o + j]} (j < visible) into probabilities in place: with {@code m = scale * max_j s_j}
     * (the minimum for a negative scale), {@code e_j = exp(fma(s_j, scale, -m))} and {@code p_j = e_j * (1 / sum_j e_j)},
     * the sum taken in key order; entries [visible, kn) become zero. Where the array has room, the exponentials run
     * over whole vectors past {@code visible}, so no scalar exp is left for a ragged tail: entries up to the next
     * multiple of LANES past {@code visible} are scratch and end up zero too.
     */
    static void softmaxRow(float[] s, int o, int visible, int kn, float scale) {
        if (!Simd.ENABLED) {
            ScalarKernels.softmaxRow(s, o, visible, kn, scale);
            return;
        }
        float e = scale >= 0 ? max(s, o, visible) : min(s, o, visible);
        float m = e * scale;
        int padded = Math.min((visible + LANES - 1) / LANES * LANES, (s.length - o) / LANES * LANES);
        FloatVector vs = FloatVector.broadcast(F, scale), vm = FloatVector.broadcast(F, -m);
        int j;
        for (j = 0; j < padded; j += LANES) VectorKernels.exp(FloatVector.fromArray(F, s, o + j).fma(vs, vm)).intoArray(s, o + j);
        for (; j < visible; j++) s[o + j] = Nonlinear.exp(Math.fma(s[o + j], scale, -m));
        float sum = 0f;
        for (j = 0; j < visible; j++) sum += s[o + j];
        float inv = 1f / sum;
        for (j = 0; j < padded; j += LANES) FloatVector.fromArray(F, s, o + j).mul(inv).intoArray(s, o + j);
        for (; j < visible; j++) s[o + j] *= inv;
        java.util.Arrays.fill(s, o + visible, o + Math.max(visible, Math.max(kn, padded)), 0f);
    }

    /**
     * Largest of {@code s[o..o+n)}. The vector accumulator lives in this small method only: inlined into the attention
     * task and merged across a branch, C2 boxed it on every iteration.
     */
    private static float max(float[] s, int o, int n) {
        FloatVector ext = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j + LANES <= n; j += LANES) ext = ext.max(FloatVector.fromArray(F, s, o + j));
        float e = ext.reduceLanes(VectorOperators.MAX); // exact in any order
        for (; j < n; j++) e = Math.max(e, s[o + j]);
        return e;
    }

    /** Smallest of {@code s[o..o+n)} (the extreme a negative scale needs); see {@link #max}. */
    private static float min(float[] s, int o, int n) {
        FloatVector ext = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        int j = 0;
        for (; j + LANES <= n; j += LANES) ext = ext.min(FloatVector.fromArray(F, s, o + j));
        float e = ext.reduceLanes(VectorOperators.MIN);
        for (; j < n; j++) e = Math.min(e, s[o + j]);
        return e;
    }
}
