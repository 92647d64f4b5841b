package dev.koboldj.engine.model.bert;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.Metadata;

/** BERT hyperparameters from {@code bert.*} metadata (XLM-RoBERTa files use the same keys). */
public record BertConfig(int hiddenSize, int layers, int heads, int feedForward, int maxPositions, float layerNormEps, Pooling pooling) {
    static final String ARCH = "bert";

    public static BertConfig from(Metadata md) {
        String p = ARCH + ".";
        int hidden = md.getInt(p + "embedding_length");
        int heads = md.getInt(p + "attention.head_count");
        if (hidden % heads != 0) throw new IllegalArgumentException("embedding length " + hidden + " is not divisible by " + heads + " heads");
        Pooling pooling = Pooling.byGgufId(md.getInt(p + "pooling_type", -1));
        return new BertConfig(hidden, md.getInt(p + "block_count"), heads, md.getInt(p + "feed_forward_length"),
                md.getInt(p + "context_length"), md.getFloat(p + "attention.layer_norm_epsilon", 1e-12f),
                pooling == null || pooling == Pooling.NONE ? Pooling.CLS : pooling);
    }

    public int headDim() {
        return hiddenSize / heads;
    }
}
