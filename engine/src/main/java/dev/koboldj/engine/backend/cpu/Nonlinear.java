package dev.koboldj.engine.backend.cpu;

/** Scalar nonlinear functions in float32, shared by every kernel. */
final class Nonlinear {
    private Nonlinear() {
    }

    /** erf(x) from the Chebyshev fit of erfc in Numerical Recipes (fractional error below 1.2e-7). */
    static float erf(float x) {
        double ax = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * ax);
        double y = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        double r = 1.0 - y;
        return (float) (x >= 0 ? r : -r);
    }

    /** Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)). */
    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * 0.70710678f));
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }
}
