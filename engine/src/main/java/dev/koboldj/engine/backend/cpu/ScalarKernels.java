package dev.koboldj.engine.backend.cpu;

/** Plain-Java twins of {@link VectorKernels}: the reference the SIMD kernels are tested against. */
final class ScalarKernels {
    private ScalarKernels() {
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** {@code y[yo..] += alpha * x[xo..]}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
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
