package dev.koboldj.engine.model;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.Pooling;
import java.util.ArrayList;
import java.util.List;

/**
 * What every architecture shares: its identity and sizes, and the buffers it allocates once for
 * {@link #maxBatchTokens()} rows, which {@link #close()} releases.
 */
public abstract class EncoderBase implements EncoderModel {
    protected final Backend backend;
    private final String architecture;
    private final int hiddenSize;
    private final int maxPositions;
    private final int maxTokens;
    private final Pooling pooling;
    private final List<Activations> buffers = new ArrayList<>();

    protected EncoderBase(Backend backend, String architecture, int hiddenSize, int maxPositions, int maxBatchTokens, Pooling pooling) {
        this.backend = backend;
        this.architecture = architecture;
        this.hiddenSize = hiddenSize;
        this.maxPositions = maxPositions;
        this.maxTokens = maxBatchTokens;
        this.pooling = pooling;
    }

    /** A buffer of {@code maxBatchTokens} rows, released by {@link #close()}. */
    protected final Activations buffer(ElementType type, int cols) {
        Activations a = backend.allocate(type, maxTokens, cols);
        buffers.add(a);
        return a;
    }

    /** Throws unless {@code batch} fits the buffers. */
    protected final int checkedTokens(Batch batch) {
        int t = batch.tokenCount();
        if (t > maxTokens) throw new IllegalArgumentException("batch of " + t + " tokens exceeds the budget of " + maxTokens);
        return t;
    }

    @Override
    public final String architecture() {
        return architecture;
    }

    @Override
    public final int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public final int maxPositions() {
        return maxPositions;
    }

    @Override
    public final int maxBatchTokens() {
        return maxTokens;
    }

    @Override
    public final Pooling defaultPooling() {
        return pooling;
    }

    @Override
    public void close() {
        buffers.forEach(backend::free);
        buffers.clear();
    }
}
