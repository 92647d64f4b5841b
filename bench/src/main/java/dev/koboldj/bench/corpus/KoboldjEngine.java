package dev.koboldj.bench.corpus;

import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** koboldj's public API on a GGUF file, CPU backend, with its own tokenizer (inside the timed calls). */
final class KoboldjEngine implements Engine {
    private final String name;
    private final EmbeddingModel model;

    KoboldjEngine(String name, Path gguf, int threads, int batchTokens, int maxTokens) {
        this.name = name;
        try {
            this.model = EmbeddingModel.load(gguf, EmbeddingOptions.defaults().withBackend("cpu").withThreads(threads)
                    .withMaxBatchTokens(batchTokens).withMaxTokens(maxTokens));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EmbeddingModel model() {
        return model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return model.embed(texts);
    }

    @Override
    public float[] embedOne(String text) {
        return model.embed(text);
    }

    @Override
    public void close() {
        model.close();
    }
}
