package dev.koboldj.server.models;

import dev.koboldj.engine.embed.EmbeddingModel;

/** Where a loaded model's tokenizer comes from; null from {@link #tokenizer} means the model takes token ids only. */
@FunctionalInterface
public interface TokenizerSource {
    TextTokenizer tokenizer(EmbeddingModel model);
}
