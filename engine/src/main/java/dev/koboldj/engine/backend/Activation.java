package dev.koboldj.engine.backend;

/** Element-wise functions fused into a matmul's epilogue. */
public enum Activation {
    NONE,
    /** Exact GELU, x * Phi(x) with the error function (Hugging Face "gelu"). */
    GELU,
    /** x * sigmoid(x). */
    SILU
}
