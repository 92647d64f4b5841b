package dev.koboldj.bench.corpus;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * koboldj's public API on a GGUF file, CPU backend. Token ids come from Hugging Face tokenizers (DJL) on the model's
 * tokenizer.json, inside the timed call, until koboldj's own tokenizer is on main.
 */
final class KoboldjEngine implements Engine {
    private final String name;
    private final EmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;

    KoboldjEngine(String name, Path gguf, Path tokenizerJson, int threads, int batchTokens) {
        this.name = name;
        try {
            this.model = EmbeddingModel.load(gguf, EmbeddingOptions.defaults().withBackend("cpu").withThreads(threads).withMaxBatchTokens(batchTokens));
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, java.util.Map.of("truncation", "true", "maxLength", "512"));
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
        Encoding[] enc = tokenizer.batchEncode(texts);
        int[][] ids = new int[enc.length][];
        for (int i = 0; i < enc.length; i++) ids[i] = toInts(enc[i].getIds());
        return Arrays.asList(model.embedTokens(ids));
    }

    @Override
    public float[] embedOne(String text) {
        return model.embedTokens(new int[][]{toInts(tokenizer.encode(text).getIds())})[0];
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
