package dev.koboldj.server.scheduling;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One request's sequences in the queue. Its sequences may be spread over several batches; each vector lands in
 * its input's slot, so the result is always in input order. Completes once every slot is filled, or fails once.
 */
public final class EmbedJob {
    final int[][] sequences;
    final long queuedAt;
    private final int dimensions;
    private final boolean normalize;
    private final float[][] vectors;
    private final CompletableFuture<List<float[]>> result = new CompletableFuture<>();
    /** Index of the next sequence to hand to a batch; guarded by the queue's lock. */
    int next;
    /** Slots still empty; guarded by this. */
    private int missing;
    volatile boolean started;

    EmbedJob(int[][] sequences, int dimensions, boolean normalize, long queuedAt) {
        this.sequences = sequences;
        this.dimensions = dimensions;
        this.normalize = normalize;
        this.vectors = new float[sequences.length][];
        this.missing = sequences.length;
        this.queuedAt = queuedAt;
    }

    /** The vectors, in input order: cut to the requested dimensions, then normalised if asked. */
    public CompletableFuture<List<float[]>> result() {
        return result;
    }

    /** Gives up on the job: sequences not yet in a batch are dropped and the result completes as cancelled. */
    public void cancel() {
        result.cancel(false);
    }

    public boolean isDone() {
        return result.isDone();
    }

    synchronized void deliver(int index, float[] raw) {
        if (result.isDone() || vectors[index] != null) return;
        vectors[index] = postprocess(raw, dimensions, normalize);
        if (--missing == 0) result.complete(List.of(vectors));
    }

    void fail(Throwable t) {
        result.completeExceptionally(t);
    }

    /** Matryoshka cut then L2 normalisation, the same arithmetic as the engine's EmbeddingModel. */
    static float[] postprocess(float[] raw, int dimensions, boolean normalize) {
        float[] v = dimensions > 0 && dimensions < raw.length ? Arrays.copyOf(raw, dimensions) : raw;
        if (normalize) {
            double sum = 0;
            for (float x : v) sum += (double) x * x;
            if (sum != 0) {
                float inv = (float) (1.0 / Math.sqrt(sum));
                for (int i = 0; i < v.length; i++) v[i] *= inv;
            }
        }
        return v;
    }
}
