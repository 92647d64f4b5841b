package dev.koboldj.server.models;

import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.server.scheduling.BackendWorker;
import dev.koboldj.server.scheduling.EmbeddingQueue;
import java.util.List;
import java.util.Set;

/**
 * An embedding model being served: the library model, its tokenizer (null when the file has none usable), the
 * queue and worker that run its requests, and the names it answers to. {@code specialTokens} are the vocabulary's
 * control tokens ([CLS], &lt;s&gt;, ...), for TEI's tokenize and decode.
 */
public record LoadedModel(String name, List<String> aliases, EmbeddingModel model, TextTokenizer tokenizer,
                          EmbeddingQueue queue, BackendWorker worker, ModelInfo info, int vocabSize,
                          Set<Integer> specialTokens, boolean normalize, long loadNanos) implements AutoCloseable {
    public LoadedModel {
        aliases = List.copyOf(aliases);
        specialTokens = Set.copyOf(specialTokens);
    }

    public boolean isSpecial(int id) {
        return specialTokens.contains(id);
    }

    @Override
    public void close() {
        worker.close();
        model.close();
    }
}
