package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The FMA-built exp and erf: accuracy against double-precision references, and lane-wise versions equal to the
 * scalar ones to the bit (which is what keeps cold and warm JVMs, and SIMD on and off, in agreement).
 */
class CpuNonlinearTest {
    @Test
    void expIsAccurateToAFewUlp() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.0137f) {
            double rel = Math.abs(Nonlinear.exp(x) - Math.exp(x)) / Math.exp(x);
            worst = Math.max(worst, rel);
        }
        assertTrue(worst < 3e-7, "relative error " + worst);
        assertEquals(1f, Nonlinear.exp(0f));
        assertEquals(Nonlinear.exp(-87f), Nonlinear.exp(Float.NEGATIVE_INFINITY)); // clamped: underflows to e^-87, never NaN
    }

    @Test
    void erfIsAccurateTo1e6() {
        double worst = 0;
        for (double x = -6; x <= 6; x += 0.00731) worst = Math.max(worst, Math.abs(Nonlinear.erf((float) x) - erf((float) x)));
        assertTrue(worst < 1e-6, "absolute error " + worst);
    }

    @Test
    void geluAndSiluMatchTheirDefinitions() {
        for (double x = -12; x <= 12; x += 0.0173) {
            double gelu = x * 0.5 * (1 + erf((float) x / Math.sqrt(2))), silu = x / (1 + Math.exp(-x));
            assertEquals(gelu, Nonlinear.gelu((float) x), 2e-6 * Math.max(1, Math.abs(x)), "gelu " + x);
            assertEquals(silu, Nonlinear.silu((float) x), 2e-6 * Math.max(1, Math.abs(x)), "silu " + x);
        }
    }

    @Test
    void lanesEqualTheScalarFunctionsToTheBit() {
        if (!Simd.ENABLED) return;
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 3)));
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 88.5f, -87.5f, 200f, -200f, 4.5f, -4.5f, Float.MIN_VALUE, 1f, -1f};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = 0; i + Simd.LANES <= x.length; i += Simd.LANES) {
            FloatVector v = FloatVector.fromArray(Simd.F, x, i);
            float[] e = VectorKernels.exp(v).toArray(), f = VectorKernels.erf(v).toArray(), g = VectorKernels.gelu(v).toArray(), s = VectorKernels.silu(v).toArray();
            for (int l = 0; l < Simd.LANES; l++) {
                float xi = x[i + l];
                assertEquals(Float.floatToIntBits(Nonlinear.exp(xi)), Float.floatToIntBits(e[l]), "exp " + xi);
                assertEquals(Float.floatToIntBits(Nonlinear.erf(xi)), Float.floatToIntBits(f[l]), "erf " + xi);
                assertEquals(Float.floatToIntBits(Nonlinear.gelu(xi)), Float.floatToIntBits(g[l]), "gelu " + xi);
                assertEquals(Float.floatToIntBits(Nonlinear.silu(xi)), Float.floatToIntBits(s[l]), "silu " + xi);
            }
        }
    }

    /** erf in double precision: its Taylor series (|x| < 3), else the asymptotic continued fraction of erfc. */
    static double erf(double x) {
        double ax = Math.abs(x), r;
        if (ax < 3) {
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-20; n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }
}
