package dev.koboldj.engine.backend;

/**
 * Rotary position embedding over rows of {@code headCount} heads of {@code headDim} columns. The first
 * {@code rotaryDims} columns of each head rotate; pair i (i < rotaryDims/2) turns by angle
 * {@code position * freqBase^(-2i/rotaryDims)}. NEOX style pairs column i with i + rotaryDims/2 (GPT-NeoX, Qwen,
 * nomic-bert); NORMAL style pairs columns 2i and 2i+1 (llama.cpp's llama layout).
 */
public record Rope(int headCount, int headDim, int rotaryDims, float freqBase, boolean neox) {
    public Rope {
        if (rotaryDims <= 0 || rotaryDims > headDim || rotaryDims % 2 != 0) throw new IllegalArgumentException("rotary dims " + rotaryDims + " for head dim " + headDim);
    }
}
