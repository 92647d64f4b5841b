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

    /** Throws, naming the architecture and the supported ones, unless koboldj can run {@code arch}. */
    public static void requireSupported(String arch) {
        if (!supported().contains(arch)) {
            throw new IllegalArgumentException("architecture '" + arch + "' is not supported (supported: " + String.join(", ", supported()) + ")");
        }
    }

    /**
     * Upper estimate of the activation buffers {@link #load} allocates for {@code tokens} tokens, from the
     * hyperparameters alone (no allocation): per token, the hidden-width buffers, the query/key/value and attention
     * widths, and two feed-forward-width buffers, in float32.
     */
    public static long activationBytes(dev.koboldj.engine.gguf.Metadata md, int tokens) {
        String arch = md.getString("general.architecture", "unknown");
        int hidden = md.getInt(arch + ".embedding_length", 0);
        int heads = Math.max(1, md.getInt(arch + ".attention.head_count", 1));
        int headDim = md.getInt(arch + ".attention.key_length", hidden / heads);
        int ffn = md.getInt(arch + ".feed_forward_length", 4 * hidden);
        long perToken = 4L * (4L * hidden + 4L * heads * headDim + 2L * ffn + 4);
        return perToken * tokens;
    }

    /** Loads the file's architecture on {@code backend} with buffers for {@code maxBatchTokens} tokens. */
    public static EncoderModel load(GgufFile file, Backend backend, int maxBatchTokens) {
        String arch = file.architecture();
        requireSupported(arch);
        ModelWeights weights = new ModelWeights(file, backend);
        return switch (arch) {
            case "bert" -> new BertModel(weights, backend, maxBatchTokens);
            case "nomic-bert" -> new NomicBertModel(weights, backend, maxBatchTokens);
            case "qwen2", "qwen3" -> new Qwen3Model(weights, backend, maxBatchTokens);
            default -> throw new AssertionError(arch);
        };
    }
}
