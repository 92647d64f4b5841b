package dev.koboldj.engine.testing;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import de.kherud.llama.args.PoolingType;
import java.nio.file.Path;

/** llama.cpp in the JVM (test-scope de.kherud:llama), loading the same GGUF file as koboldj. */
public final class LlamaCpp implements AutoCloseable {
    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> {
            if (level == LogLevel.ERROR) System.err.print("llama.cpp: " + msg);
        });
    }

    private final LlamaModel model;

    private LlamaCpp(LlamaModel model) {
        this.model = model;
    }

    /** Loads {@code gguf} for embeddings with the pooling its metadata declares. */
    public static LlamaCpp embeddings(Path gguf, int threads) {
        return embeddings(gguf, threads, PoolingType.UNSPECIFIED);
    }

    /** Loads {@code gguf} for embeddings with {@code pooling} (llama.cpp ignores pooling_type for some decoders). */
    public static LlamaCpp embeddings(Path gguf, int threads, PoolingType pooling) {
        ModelParameters p = new ModelParameters().setModel(gguf.toString()).enableEmbedding()
                .setThreads(threads).setCtxSize(512).setBatchSize(512).setUbatchSize(512).setGpuLayers(0);
        if (pooling != PoolingType.UNSPECIFIED) p.setPoolingType(pooling);
        return new LlamaCpp(new LlamaModel(p));
    }

    public float[] embed(String text) {
        return model.embed(text);
    }

    /** llama.cpp's own token ids for {@code text}. */
    public int[] encode(String text) {
        return model.encode(text);
    }

    @Override
    public void close() {
        model.close();
    }
}
