package dev.koboldj.engine.model.qwen3;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.Metadata;

/**
 * Hyperparameters of a Qwen2/Qwen3 decoder from {@code <arch>.*} metadata. {@code headDim} comes from
 * {@code attention.key_length} when present (Qwen3 heads are wider than hidden/heads).
 */
public record Qwen3Config(String architecture, int hiddenSize, int layers, int heads, int kvHeads, int headDim, int feedForward,
                          int maxPositions, float rmsEps, float ropeFreqBase, Pooling pooling) {

    public static Qwen3Config from(Metadata md) {
        String arch = md.getString("general.architecture");
        String p = arch + ".";
        int hidden = md.getInt(p + "embedding_length");
        int heads = md.getInt(p + "attention.head_count");
        int kvHeads = md.getInt(p + "attention.head_count_kv", heads);
        if (heads % kvHeads != 0) throw new IllegalArgumentException(heads + " attention heads do not divide into " + kvHeads + " key/value heads");
        int headDim = md.getInt(p + "attention.key_length", hidden / heads);
        Pooling pooling = Pooling.byGgufId(md.getInt(p + "pooling_type", -1));
        return new Qwen3Config(arch, hidden, md.getInt(p + "block_count"), heads, kvHeads, headDim, md.getInt(p + "feed_forward_length"),
                md.getInt(p + "context_length"), md.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-6f),
                md.getFloat(p + "rope.freq_base", 10000f), pooling == null || pooling == Pooling.NONE ? Pooling.LAST : pooling);
    }
}
