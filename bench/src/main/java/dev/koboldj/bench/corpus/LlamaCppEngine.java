package dev.koboldj.bench.corpus;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** llama.cpp through de.kherud:llama on the same GGUF file: one {@code embed(text)} call per text, as its API offers. */
final class LlamaCppEngine implements Engine {
    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> {
            if (level == LogLevel.ERROR) System.err.print("llama.cpp: " + msg);
        });
    }

    private final LlamaModel model;

    LlamaCppEngine(Path gguf, int threads) {
        this.model = new LlamaModel(new ModelParameters().setModel(gguf.toString()).enableEmbedding().setThreads(threads)
                .setThreadsBatch(threads).setCtxSize(512).setBatchSize(512).setUbatchSize(512).setGpuLayers(0));
    }

    @Override
    public String name() {
        return "llama.cpp";
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(model.embed(t));
        return out;
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
