package dev.koboldj.engine.embed;

/** One input's vector, how many tokens were used for it, and whether the input was cut to fit. */
public record Embedding(float[] vector, int tokens, boolean truncated) {
}
