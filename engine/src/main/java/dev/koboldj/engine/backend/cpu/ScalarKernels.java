package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.SequenceLayout;

/**
 * Plain-Java twins of {@link VectorKernels}, {@link MatmulKernels} and {@link AttentionKernels}: the reference the
 * SIMD kernels are tested against, and what runs when SIMD is off ({@code -Dkoboldj.vectorBitSize=0}).
 */
final class ScalarKernels {
    private ScalarKernels() {
    }

    /** One matmul output before its activation: {@code acc = fma(x[xo+k], w[wo+k], acc)} for k = 0..n-1, from {@code init}. */
    static float dotChain(float[] x, int xo, float[] w, int wo, int n, float init) {
        float acc = init;
        for (int k = 0; k < n; k++) acc = Math.fma(x[xo + k], w[wo + k], acc);
        return acc;
    }

    /**
     * One output of a one-row matmul (a matrix-vector product) in the order of {@link MatmulKernels#laneDot}: lane l
     * of {@code lanes} chains {@code fma(x[i], w[wo+i], a_l)} over i = l, l + lanes, ... below the last whole vector;
     * then {@code s = init + a_0 + a_1 + ...} in lane order, then the tail chains {@code s = fma(x[i], w[wo+i], s)}.
     */
    static float laneDot(float[] x, float[] w, int wo, int k, float init, int lanes) {
        int full = k / lanes * lanes;
        float s = init;
        for (int l = 0; l < lanes; l++) {
            float a = 0f;
            for (int i = l; i < full; i += lanes) a = Math.fma(x[i], w[wo + i], a);
            s += a;
        }
        for (int i = full; i < k; i++) s = Math.fma(x[i], w[wo + i], s);
        return s;
    }

    /** Reference one-row matmul over decoded weight rows with {@link #laneDot}: what the SIMD matrix-vector path gives. */
    static void gemv(float[] x, int k, float[] w, int n, float[] bias, Activation act, float[] res, float[] out, int lanes) {
        for (int j = 0; j < n; j++) out[j] = finish(laneDot(x, w, j * k, k, bias == null ? 0f : bias[j], lanes), act, res, j);
    }

    /** The rest of a matmul output: {@code act(v) + res[ri]} (no residual when {@code res} is null). */
    static float finish(float v, Activation act, float[] res, int ri) {
        v = switch (act) {
            case NONE -> v;
            case GELU -> Nonlinear.gelu(v);
            case SILU -> Nonlinear.silu(v);
        };
        return res == null ? v : v + res[ri];
    }

    /**
     * Reference matmul over decoded weight rows: {@code out[m][n] = finish(dotChain(x[m], w[n], bias[n] or 0))} for
     * x [M][K], w [N][K], out and res [M][N]. Every SIMD matmul path gives exactly these bits.
     */
    static void matmul(float[] x, int rows, int k, float[] w, int n, float[] bias, Activation act, float[] res, float[] out) {
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < n; j++) {
                out[m * n + j] = finish(dotChain(x, m * k, w, j * k, k, bias == null ? 0f : bias[j]), act, res, m * n + j);
            }
        }
    }

    /** Twin of {@link AttentionKernels#softmaxRow}. */
    static void softmaxRow(float[] s, int o, int visible, int kn, float scale) {
        boolean up = scale >= 0;
        float e = up ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int j = 0; j < visible; j++) e = up ? Math.max(e, s[o + j]) : Math.min(e, s[o + j]);
        float m = e * scale;
        for (int j = 0; j < visible; j++) s[o + j] = Nonlinear.exp(Math.fma(s[o + j], scale, -m));
        float sum = 0f;
        for (int j = 0; j < visible; j++) sum += s[o + j];
        float inv = 1f / sum;
        for (int j = 0; j < visible; j++) s[o + j] *= inv;
        for (int j = visible; j < kn; j++) s[o + j] = 0f;
    }

    /**
     * Reference attention for query row {@code i} of sequence {@code seq}, head {@code h} (the twin of {@link Attend}):
     * score_j = dotChain(q, k_j) over the visible keys, the scaled softmax of {@link #softmaxRow}, then out = FMA chain of
     * p_j * v_j over keys.
     * {@code p} holds at least keyLength floats.
     */
    static void attentionRow(float[] q, float[] k, float[] v, float[] out, SequenceLayout layout, Attention a, int seq, int h, int i, float[] p) {
        int d = a.headDim(), heads = a.headCount(), kvh = h / (heads / a.kvHeadCount());
        int qCols = heads * d, kCols = a.kvHeadCount() * d;
        int ql = layout.queryLength(seq), ks = layout.keyStart(seq), kl = layout.keyLength(seq);
        int visible = a.causal() ? kl - ql + i + 1 : kl;
        int qo = (layout.queryStart(seq) + i) * qCols + h * d, kvo = ks * kCols + kvh * d;
        for (int j = 0; j < visible; j++) p[j] = dotChain(q, qo, k, kvo + j * kCols, d, 0f);
        softmaxRow(p, 0, visible, visible, a.scale());
        for (int c = 0; c < d; c++) {
            float acc = 0f;
            for (int j = 0; j < visible; j++) acc = Math.fma(p[j], v[kvo + j * kCols + c], acc);
            out[qo + c] = acc;
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** {@code y[yo..] = fma(alpha, x[xo..], y[yo..])}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }

    static float sum(float[] a, int ao, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i];
        return s;
    }

    /** Sum of (a[i] - mean)^2. */
    static float sumSquaredDeviations(float[] a, int ao, int n, float mean) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float d = a[ao + i] - mean;
            s += d * d;
        }
        return s;
    }

    /** {@code out[oo+i] = (a[ao+i] - shift) * scale * gamma[i] + beta[i]} (beta may be null). */
    static void normalize(float[] a, int ao, float shift, float scale, float[] gamma, float[] beta, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            float v = (a[ao + i] - shift) * scale * gamma[i];
            out[oo + i] = beta == null ? v : v + beta[i];
        }
    }

    static void scale(float[] a, int ao, float s, int n) {
        for (int i = 0; i < n; i++) a[ao + i] *= s;
    }

    static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    static void gelu(float[] a, int ao, int n) {
        for (int i = 0; i < n; i++) a[ao + i] = Nonlinear.gelu(a[ao + i]);
    }

    static void silu(float[] a, int ao, int n) {
        for (int i = 0; i < n; i++) a[ao + i] = Nonlinear.silu(a[ao + i]);
    }

    static void swiglu(float[] gate, int go, float[] up, int uo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Nonlinear.silu(gate[go + i]) * up[uo + i];
    }
}
