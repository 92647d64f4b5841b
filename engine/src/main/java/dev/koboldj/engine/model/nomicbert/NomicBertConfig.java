package dev.koboldj.engine.model.nomicbert;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.Metadata;

/** nomic-bert hyperparameters from {@code nomic-bert.*} metadata. */
public record NomicBertConfig(int hiddenSize, int layers, int heads, int feedForward, int maxPositions, float layerNormEps,
                              float ropeFreqBase, Pooling pooling) {
    static final String ARCH = "nomic-bert";

    public static NomicBertConfig from(Metadata md) {
        String p = ARCH + ".";
        int hidden = md.getInt(p + "embedding_length");
        int heads = md.getInt(p + "attention.head_count");
        if (hidden % heads != 0) throw new IllegalArgumentException("embedding length " + hidden + " is not divisible by " + heads + " heads");
        Pooling pooling = Pooling.byGgufId(md.getInt(p + "pooling_type", -1));
        return new NomicBertConfig(hidden, md.getInt(p + "block_count"), heads, md.getInt(p + "feed_forward_length"),
                md.getInt(p + "context_length"), md.getFloat(p + "attention.layer_norm_epsilon", 1e-12f),
                md.getFloat(p + "rope.freq_base", 1000f), pooling == null || pooling == Pooling.NONE ? Pooling.MEAN : pooling);
    }

    public int headDim() {
        return hiddenSize / heads;
    }
}
