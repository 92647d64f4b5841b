package dev.koboldj.engine.model;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.Pooling;

/**
 * A network that turns a packed batch into one hidden-state row per token. Pooling and normalisation happen outside
 * the architectures (as in llama.cpp's generic pooling step). Not thread-safe: one forward pass at a time, because
 * intermediate buffers are allocated once for {@link #maxBatchTokens()} tokens.
 */
public interface EncoderModel extends AutoCloseable {
    /** The {@code general.architecture} this model was loaded as. */
    String architecture();

    /** Width of the hidden states (the embedding dimension). */
    int hiddenSize();

    /** Longest sequence the model's positions allow. */
    int maxPositions();

    /** The largest number of tokens one {@link #forward} call accepts. */
    int maxBatchTokens();

    /** Pooling from {@code <arch>.pooling_type}, or the architecture's usual one when the file says nothing. */
    Pooling defaultPooling();

    /** Enqueues the forward pass; the returned buffer holds {@code batch.tokenCount()} rows once the stream is awaited. */
    Activations forward(Batch batch, CommandStream stream);

    @Override
    void close();
}
