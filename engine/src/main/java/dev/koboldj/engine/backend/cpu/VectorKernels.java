package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.Simd.F;
import static dev.koboldj.engine.backend.cpu.Simd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD versions of {@link ScalarKernels} (same signatures; the same results up to float summation order for the
 * reductions, bit-identical results for the element-wise ones). Each method checks {@link Simd#ENABLED} and falls back
 * to its scalar twin, so {@code -Dkoboldj.vectorBitSize=0} runs scalar.
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
        for (; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
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

    /** Lane-wise {@link Nonlinear#exp}: the same operations in the same order, so the same bits. */
    static FloatVector exp(FloatVector x) {
        x = x.max(Nonlinear.EXP_LO).min(Nonlinear.EXP_HI);
        FloatVector t = x.mul(Nonlinear.LOG2E).add(Nonlinear.ROUND_MAGIC);
        FloatVector n = t.sub(Nonlinear.ROUND_MAGIC);
        IntVector ni = t.reinterpretAsInts().sub(Nonlinear.ROUND_MAGIC_BITS);
        FloatVector r = n.fma(FloatVector.broadcast(F, -Nonlinear.LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -Nonlinear.LN2_LO), r);
        FloatVector p = r.fma(Nonlinear.EXP_P0, Nonlinear.EXP_P1);
        p = p.fma(r, FloatVector.broadcast(F, Nonlinear.EXP_P2));
        p = p.fma(r, FloatVector.broadcast(F, Nonlinear.EXP_P3));
        p = p.fma(r, FloatVector.broadcast(F, Nonlinear.EXP_P4));
        p = p.fma(r, FloatVector.broadcast(F, Nonlinear.EXP_P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        return y.mul(ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** Lane-wise {@link Nonlinear#erf}. */
    static FloatVector erf(FloatVector x) {
        x = x.max(-Nonlinear.ERF_CLAMP).min(Nonlinear.ERF_CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(Nonlinear.ERF_A13, Nonlinear.ERF_A11);
        p = x2.fma(p, FloatVector.broadcast(F, Nonlinear.ERF_A9));
        p = x2.fma(p, FloatVector.broadcast(F, Nonlinear.ERF_A7));
        p = x2.fma(p, FloatVector.broadcast(F, Nonlinear.ERF_A5));
        p = x2.fma(p, FloatVector.broadcast(F, Nonlinear.ERF_A3));
        p = x2.fma(p, FloatVector.broadcast(F, Nonlinear.ERF_A1));
        p = x.mul(p);
        FloatVector q = x2.fma(Nonlinear.ERF_B8, Nonlinear.ERF_B6);
        q = x2.fma(q, FloatVector.broadcast(F, Nonlinear.ERF_B4));
        q = x2.fma(q, FloatVector.broadcast(F, Nonlinear.ERF_B2));
        q = x2.fma(q, FloatVector.broadcast(F, Nonlinear.ERF_B0));
        return p.div(q);
    }

    /** Lane-wise {@link Nonlinear#gelu}. */
    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(Nonlinear.SQRT1_2)).add(1f));
    }

    /** Lane-wise {@link Nonlinear#silu}. */
    static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(1f));
    }
}
