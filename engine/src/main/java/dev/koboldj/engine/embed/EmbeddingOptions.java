package dev.koboldj.engine.embed;

import dev.koboldj.engine.backend.Pooling;

/**
 * How to load an embedding model. {@code backend} is "auto", "cpu" or "vulkan"; {@code device} the GPU index (-1 = first
 * usable); {@code threads} 0 = all cores; {@code maxTokens} caps one input's length (0 = the model's context, at most
 * {@link #DEFAULT_MAX_TOKENS}); {@code maxBatchTokens} the tokens one forward pass packs (sizes the activation arena;
 * 0 = {@link #DEFAULT_BATCH_TOKENS} or maxTokens if larger); {@code pooling} null = the model's own.
 */
public record EmbeddingOptions(String backend, int device, int threads, int maxTokens, int maxBatchTokens, Pooling pooling,
                               boolean normalize, boolean forceStaging) {
    public static final int DEFAULT_MAX_TOKENS = 8192;
    public static final int DEFAULT_BATCH_TOKENS = 2048;

    public static EmbeddingOptions defaults() {
        return new EmbeddingOptions("auto", -1, 0, 0, 0, null, true, false);
    }

    public EmbeddingOptions withBackend(String name) {
        return new EmbeddingOptions(name, device, threads, maxTokens, maxBatchTokens, pooling, normalize, forceStaging);
    }

    public EmbeddingOptions withThreads(int n) {
        return new EmbeddingOptions(backend, device, n, maxTokens, maxBatchTokens, pooling, normalize, forceStaging);
    }

    public EmbeddingOptions withMaxTokens(int n) {
        return new EmbeddingOptions(backend, device, threads, n, maxBatchTokens, pooling, normalize, forceStaging);
    }

    public EmbeddingOptions withMaxBatchTokens(int n) {
        return new EmbeddingOptions(backend, device, threads, maxTokens, n, pooling, normalize, forceStaging);
    }

    public EmbeddingOptions withPooling(Pooling p) {
        return new EmbeddingOptions(backend, device, threads, maxTokens, maxBatchTokens, p, normalize, forceStaging);
    }

    public EmbeddingOptions withNormalize(boolean n) {
        return new EmbeddingOptions(backend, device, threads, maxTokens, maxBatchTokens, pooling, n, forceStaging);
    }

    public EmbeddingOptions withDevice(int d) {
        return new EmbeddingOptions(backend, d, threads, maxTokens, maxBatchTokens, pooling, normalize, forceStaging);
    }

    public EmbeddingOptions withForceStaging(boolean f) {
        return new EmbeddingOptions(backend, device, threads, maxTokens, maxBatchTokens, pooling, normalize, f);
    }
}
