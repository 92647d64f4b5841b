package dev.koboldj.server.api;

/** What the embedding service reports besides the scheduler's numbers (implemented by the server's metrics). */
public interface EmbedObserver {
    /** {@code texts} inputs of a request were tokenised in {@code nanos}. */
    void tokenized(String model, int texts, long nanos);

    EmbedObserver NONE = (model, texts, nanos) -> {
    };
}
