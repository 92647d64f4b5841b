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
        for (int j = 0; j < count; j++) {
            int r = base + j * stride;
            for (int c = 0; c < d; c++) kt[off + c * PW + j] = k[r + c];
        }
        if (count < PW) {
            for (int c = 0; c < d; c++) java.util.Arrays.fill(kt, off + c * PW + count, off + (c + 1) * PW, 0f);
        }
    }

    /** Copies {@code cols < PW} columns of {@code rows} rows ({@code v[base + j*stride + c]}) into {@code dst[j*PW + c]}, zero-padded to PW. */
    static void copyColumns(float[] v, int base, int stride, int rows, int cols, float[] dst) {
        for (int j = 0; j < rows; j++) {
            System.arraycopy(v, base + j * stride, dst, j * PW, cols);
            java.util.Arrays.fill(dst, j * PW + cols, (j + 1) * PW, 0f);
        }
    }

    /**
     * Turns raw scores {@code s[o + j]} (j < visible) into probabilities in place: {@code e_j = exp(s_j * scale - max)},
     * {@code p_j = e_j * (1 / sum_j e_j)} with the sum taken in key order; entries [visible, kn) become zero. Where the
     * array has room, the exponentials run over whole vectors past {@code visible}, so no scalar exp is left for a
     * ragged tail: entries up to the next multiple of LANES past {@code visible} are scratch and end up zero too.
     */
    static void softmaxRow(float[] s, int o, int visible, int kn, float scale) {
        if (!Simd.ENABLED) {
            ScalarKernels.softmaxRow(s, o, visible, kn, scale);
            return;
        }
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j + LANES <= visible; j += LANES) {
            FloatVector v = FloatVector.fromArray(F, s, o + j).mul(scale);
            v.intoArray(s, o + j);
            vmax = vmax.max(v);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX); // max is exact in any order
        for (; j < visible; j++) {
            float v = s[o + j] * scale;
            s[o + j] = v;
            max = Math.max(max, v);
        }
        int padded = Math.min((visible + LANES - 1) / LANES * LANES, (s.length - o) / LANES * LANES);
        FloatVector m = FloatVector.broadcast(F, max);
        for (j = 0; j < padded; j += LANES) VectorKernels.exp(FloatVector.fromArray(F, s, o + j).sub(m)).intoArray(s, o + j);
        for (; j < visible; j++) s[o + j] = Nonlinear.exp(s[o + j] - max);
        float sum = 0f;
        for (j = 0; j < visible; j++) sum += s[o + j];
        float inv = 1f / sum;
        for (j = 0; j < padded; j += LANES) FloatVector.fromArray(F, s, o + j).mul(inv).intoArray(s, o + j);
        for (; j < visible; j++) s[o + j] *= inv;
        java.util.Arrays.fill(s, o + visible, o + Math.max(visible, Math.max(kn, padded)), 0f);
    }
}
