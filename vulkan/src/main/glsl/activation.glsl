// Element-wise functions of the matmul epilogue and SwiGLU, matching the CPU backend (float32, same erf fit).

// erf from the Chebyshev fit of erfc in Numerical Recipes (fractional error below 1.2e-7).
float erf_fit(float x) {
    float ax = abs(x);
    float t = 1.0 / (1.0 + 0.5 * ax);
    float y = t * exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
    float r = 1.0 - y;
    return x >= 0.0 ? r : -r;
}

// Exact GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
float gelu(float x) { return 0.5 * x * (1.0 + erf_fit(x * 0.70710678)); }

float silu(float x) { return x / (1.0 + exp(-x)); }

// act: 0 none, 1 GELU, 2 SiLU (the order of dev.koboldj.engine.backend.Activation).
float activate(float x, uint act) {
    if (act == 1u) return gelu(x);
    if (act == 2u) return silu(x);
    return x;
}
