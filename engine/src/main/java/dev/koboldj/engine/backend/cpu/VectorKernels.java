package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.Simd.F;
import static dev.koboldj.engine.backend.cpu.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD versions of {@link ScalarKernels} (same signatures, same results up to float summation order). Each method
 * checks {@link Simd#ENABLED} and falls back to its scalar twin, so {@code -Dkoboldj.vectorBitSize=0} runs scalar.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        if (!Simd.ENABLED) return ScalarKernels.dot(a, ao, b, bo, n);
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(F, a, ao + i + LANES).fma(FloatVector.fromArray(F, b, bo + i + LANES), acc1);
        }
        for (; i + LANES <= n; i += LANES) acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.axpy(alpha, x, xo, y, yo, n);
            return;
        }
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector.fromArray(F, x, xo + i).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    static float sum(float[] a, int ao, int n) {
        if (!Simd.ENABLED) return ScalarKernels.sum(a, ao, n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + LANES <= n; i += LANES) acc = acc.add(FloatVector.fromArray(F, a, ao + i));
        float s = sumLanes(acc);
        for (; i < n; i++) s += a[ao + i];
        return s;
    }

    static float sumSquaredDeviations(float[] a, int ao, int n, float mean) {
        if (!Simd.ENABLED) return ScalarKernels.sumSquaredDeviations(a, ao, n, mean);
        FloatVector acc = FloatVector.zero(F);
        FloatVector m = FloatVector.broadcast(F, mean);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector d = FloatVector.fromArray(F, a, ao + i).sub(m);
            acc = d.fma(d, acc);
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            float d = a[ao + i] - mean;
            s += d * d;
        }
        return s;
    }

    static void normalize(float[] a, int ao, float shift, float scale, float[] gamma, float[] beta, float[] out, int oo, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.normalize(a, ao, shift, scale, gamma, beta, out, oo, n);
            return;
        }
        FloatVector vs = FloatVector.broadcast(F, shift), vk = FloatVector.broadcast(F, scale);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, a, ao + i).sub(vs).mul(vk).mul(FloatVector.fromArray(F, gamma, i));
            if (beta != null) v = v.add(FloatVector.fromArray(F, beta, i));
            v.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = (a[ao + i] - shift) * scale * gamma[i];
            out[oo + i] = beta == null ? v : v + beta[i];
        }
    }

    static void scale(float[] a, int ao, float s, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.scale(a, ao, s, n);
            return;
        }
        int i = 0;
        for (; i + LANES <= n; i += LANES) FloatVector.fromArray(F, a, ao + i).mul(s).intoArray(a, ao + i);
        for (; i < n; i++) a[ao + i] *= s;
    }

    static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.add(a, ao, b, bo, out, oo, n);
            return;
        }
        int i = 0;
        for (; i + LANES <= n; i += LANES) FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    static void gelu(float[] a, int ao, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.gelu(a, ao, n);
            return;
        }
        int i = 0;
        for (; i + LANES <= n; i += LANES) gelu(FloatVector.fromArray(F, a, ao + i)).intoArray(a, ao + i);
        for (; i < n; i++) a[ao + i] = Nonlinear.gelu(a[ao + i]);
    }

    static void silu(float[] a, int ao, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.silu(a, ao, n);
            return;
        }
        int i = 0;
        for (; i + LANES <= n; i += LANES) silu(FloatVector.fromArray(F, a, ao + i)).intoArray(a, ao + i);
        for (; i < n; i++) a[ao + i] = Nonlinear.silu(a[ao + i]);
    }

    static void swiglu(float[] gate, int go, float[] up, int uo, float[] out, int oo, int n) {
        if (!Simd.ENABLED) {
            ScalarKernels.swiglu(gate, go, up, uo, out, oo, n);
            return;
        }
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            silu(FloatVector.fromArray(F, gate, go + i)).mul(FloatVector.fromArray(F, up, uo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Nonlinear.silu(gate[go + i]) * up[uo + i];
    }

    /**
     * Sum of the lanes in lane order. {@code reduceLanes(ADD)} may associate differently once C2 intrinsifies it,
     * which would make a warm JVM return slightly different vectors than a cold one; this order never changes.
     */
    static float sumLanes(FloatVector v) {
        float s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    static FloatVector silu(FloatVector x) {
        return x.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /** GELU with the same erf fit as {@link Nonlinear#erf}, evaluated in float lanes. */
    static FloatVector gelu(FloatVector x) {
        FloatVector z = x.mul(0.70710678f);
        FloatVector az = z.abs();
        FloatVector t = FloatVector.broadcast(F, 1f).div(az.mul(0.5f).add(1f));
        FloatVector p = t.fma(FloatVector.broadcast(F, 0.17087277f), FloatVector.broadcast(F, -0.82215223f));
        p = t.fma(p, FloatVector.broadcast(F, 1.48851587f));
        p = t.fma(p, FloatVector.broadcast(F, -1.13520398f));
        p = t.fma(p, FloatVector.broadcast(F, 0.27886807f));
        p = t.fma(p, FloatVector.broadcast(F, -0.18628806f));
        p = t.fma(p, FloatVector.broadcast(F, 0.09678418f));
        p = t.fma(p, FloatVector.broadcast(F, 0.37409196f));
        p = t.fma(p, FloatVector.broadcast(F, 1.00002368f));
        p = t.fma(p, FloatVector.broadcast(F, -1.26551223f));
        FloatVector erfc = t.mul(az.mul(az).neg().add(p).lanewise(VectorOperators.EXP));
        FloatVector erfAbs = erfc.neg().add(1f);
        FloatVector erf = erfAbs.blend(erfAbs.neg(), z.compare(VectorOperators.LT, 0f));
        return x.mul(0.5f).mul(erf.add(1f));
    }
}
