package dev.koboldj.engine.backend.cpu;

/**
 * Scalar nonlinear functions in float32, built only from IEEE operations and {@link Math#fma} so that
 * {@link VectorKernels}' lane-wise versions (the same operations in the same order) give bit-identical results, in
 * an interpreted JVM as in C2-compiled code. That is why there is no {@code Math.exp} or {@code lanewise(EXP)} here:
 * their intrinsic and fallback implementations may round differently.
 */
final class Nonlinear {
    // exp: Cephes expf. x = n ln2 + r with |r| <= ln2/2, exp(x) = 2^n * (1 + r + r^2 P(r)).
    static final float EXP_HI = 88.0f; // n <= 127: 2^n stays a normal float
    static final float EXP_LO = -87.0f; // n >= -126
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer (ties to even); its bits are 0x4B400000. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float EXP_P0 = 1.9875691500e-4f, EXP_P1 = 1.3981999507e-3f, EXP_P2 = 8.3333452548e-3f,
            EXP_P3 = 4.1665795894e-2f, EXP_P4 = 1.6666665459e-1f, EXP_P5 = 5.0000001201e-1f;

    // erf: Eigen's rational fit on [-4, 4] (odd numerator of degree 13, even denominator of degree 8).
    static final float ERF_CLAMP = 4f;
    static final float ERF_A1 = -1.60960333262415e-02f, ERF_A3 = -2.95459980854025e-03f, ERF_A5 = -7.34990630326855e-04f,
            ERF_A7 = -5.69250639462346e-05f, ERF_A9 = -2.10102402082508e-06f, ERF_A11 = 2.77068142495902e-08f,
            ERF_A13 = -2.72614225801306e-10f;
    static final float ERF_B0 = -1.42647390514189e-02f, ERF_B2 = -7.37332916720468e-03f, ERF_B4 = -1.68282697438203e-03f,
            ERF_B6 = -2.13374055278905e-04f, ERF_B8 = -1.45660718464996e-05f;
    static final float SQRT1_2 = 0.70710678118654752f;

    private Nonlinear() {
    }

    /** e^x, relative error within a few ulp on [-87, 88]; inputs outside are clamped to that range. */
    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = x * LOG2E + ROUND_MAGIC;
        float n = t - ROUND_MAGIC;
        int ni = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(EXP_P0, r, EXP_P1);
        p = Math.fma(p, r, EXP_P2);
        p = Math.fma(p, r, EXP_P3);
        p = Math.fma(p, r, EXP_P4);
        p = Math.fma(p, r, EXP_P5);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat((ni + 127) << 23);
    }

    /** erf(x), absolute error below 1e-6. */
    static float erf(float x) {
        x = Math.min(Math.max(x, -ERF_CLAMP), ERF_CLAMP);
        float x2 = x * x;
        float p = Math.fma(x2, ERF_A13, ERF_A11);
        p = Math.fma(x2, p, ERF_A9);
        p = Math.fma(x2, p, ERF_A7);
        p = Math.fma(x2, p, ERF_A5);
        p = Math.fma(x2, p, ERF_A3);
        p = Math.fma(x2, p, ERF_A1);
        p = x * p;
        float q = Math.fma(x2, ERF_B8, ERF_B6);
        q = Math.fma(x2, q, ERF_B4);
        q = Math.fma(x2, q, ERF_B2);
        q = Math.fma(x2, q, ERF_B0);
        return p / q;
    }

    /** Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)). */
    static float gelu(float x) {
        return x * 0.5f * (1f + erf(x * SQRT1_2));
    }

    /** x * sigmoid(x) = x / (1 + e^-x). */
    static float silu(float x) {
        return x / (1f + exp(-x));
    }
}
