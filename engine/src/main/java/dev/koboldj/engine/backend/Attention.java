package dev.koboldj.engine.backend;

/**
 * Shape of a multi-head attention: queries hold {@code headCount} heads of {@code headDim} columns side by side
 * ([rows][headCount * headDim], head h in columns [h*headDim, (h+1)*headDim)); keys and values hold
 * {@code kvHeadCount} heads. Query head h reads key/value head {@code h / (headCount / kvHeadCount)} (grouped-query
 * attention). Scores are {@code scale * q.k}, masked to the sequence (and causally when {@code causal}), softmaxed
 * in float32.
 */
public record Attention(int headCount, int kvHeadCount, int headDim, float scale, boolean causal) {
    public Attention {
        if (headCount <= 0 || kvHeadCount <= 0 || headCount % kvHeadCount != 0 || headDim <= 0) {
            throw new IllegalArgumentException("bad attention shape: " + headCount + " heads, " + kvHeadCount + " kv heads, dim " + headDim);
        }
    }
}
