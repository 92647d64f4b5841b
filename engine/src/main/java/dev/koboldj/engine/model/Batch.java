package dev.koboldj.engine.model;

import dev.koboldj.engine.backend.SequenceLayout;

/**
 * Sequences packed back to back without padding, as in text-embeddings-inference: {@code tokens[t]} and
 * {@code positions[t]} for every token t of the batch, and where each sequence starts. Lives beside the
 * architectures (not in embed/) because both embedding and generation build batches for them.
 */
public record Batch(int[] tokens, int[] positions, SequenceLayout layout) {
    public Batch {
        if (tokens.length != positions.length || tokens.length != layout.queryRows()) throw new IllegalArgumentException("batch arrays disagree");
    }

    /** Packs whole sequences, positions counting from 0 in each. */
    public static Batch of(int[][] sequences) {
        int total = 0;
        int[] lengths = new int[sequences.length];
        for (int s = 0; s < sequences.length; s++) total += lengths[s] = sequences[s].length;
        int[] tokens = new int[total], positions = new int[total];
        int t = 0;
        for (int[] seq : sequences) {
            for (int i = 0; i < seq.length; i++, t++) {
                tokens[t] = seq[i];
                positions[t] = i;
            }
        }
        return new Batch(tokens, positions, SequenceLayout.packed(lengths));
    }

    public int tokenCount() {
        return tokens.length;
    }

    public int sequenceCount() {
        return layout.sequenceCount();
    }
}
