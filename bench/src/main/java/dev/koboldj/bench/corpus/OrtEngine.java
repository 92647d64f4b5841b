package dev.koboldj.bench.corpus;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * ONNX Runtime through LangChain4j's {@code AllMiniLmL6V2EmbeddingModel}: {@code embedAll} embeds each text in its
 * own ONNX Runtime call, spread over an executor of {@code threads} threads (LangChain4j's default is one per core);
 * each call uses ONNX Runtime's default intra-op thread pool.
 */
final class OrtEngine implements Engine {
    private final ExecutorService executor;
    private final AllMiniLmL6V2EmbeddingModel model;

    OrtEngine(int threads) {
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ort-embed");
            t.setDaemon(true);
            return t;
        });
        this.model = new AllMiniLmL6V2EmbeddingModel(executor);
    }

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream().map(Embedding::vector).toList();
    }

    @Override
    public float[] embedOne(String text) {
        return model.embed(text).content().vector();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
