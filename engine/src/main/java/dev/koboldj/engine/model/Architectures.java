package dev.koboldj.engine.model;

import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.model.bert.BertModel;
import dev.koboldj.engine.model.nomicbert.NomicBertModel;
import dev.koboldj.engine.model.qwen3.Qwen3Model;
import java.util.List;

/** The architecture registry, keyed by {@code general.architecture}. */
public final class Architectures {
    private Architectures() {
    }

    /** Architectures koboldj can run as embedding models. */
    public static List<String> supported() {
        return List.of("bert", "nomic-bert", "qwen2", "qwen3");
    }

    /** Loads the file's architecture on {@code backend} with buffers for {@code maxBatchTokens} tokens. */
    public static EncoderModel load(GgufFile file, Backend backend, int maxBatchTokens) {
        String arch = file.architecture();
        ModelWeights weights = new ModelWeights(file, backend);
        return switch (arch) {
            case "bert" -> new BertModel(weights, backend, maxBatchTokens);
            case "nomic-bert" -> new NomicBertModel(weights, backend, maxBatchTokens);
            case "qwen2", "qwen3" -> new Qwen3Model(weights, backend, maxBatchTokens);
            default -> throw new IllegalArgumentException("architecture '" + arch + "' is not supported (supported: " + String.join(", ", supported()) + ")");
        };
    }
}
