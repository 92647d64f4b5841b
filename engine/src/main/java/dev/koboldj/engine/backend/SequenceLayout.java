package dev.koboldj.engine.backend;

import java.util.Arrays;

/**
 * Where each sequence of a packed batch lives. Sequence {@code s} has query rows
 * {@code [queryStart[s], queryStart[s] + queryLength[s])} and attends key/value rows
 * {@code [keyStart[s], keyStart[s] + keyLength[s])}; attention never crosses these ranges. For an encoder batch the
 * two ranges coincide. With a KV cache the keys run ahead of the queries: query row {@code j} of a sequence sits at
 * position {@code keyLength - queryLength + j}, which is what a causal mask compares against.
 */
public record SequenceLayout(int[] queryStart, int[] queryLength, int[] keyStart, int[] keyLength) {
    public SequenceLayout {
        int n = queryStart.length;
        if (queryLength.length != n || keyStart.length != n || keyLength.length != n) throw new IllegalArgumentException("ragged layout");
        for (int s = 0; s < n; s++) {
            if (queryLength[s] < 0 || keyLength[s] < queryLength[s]) throw new IllegalArgumentException("sequence " + s + ": keys must cover the queries");
        }
        queryStart = queryStart.clone();
        queryLength = queryLength.clone();
        keyStart = keyStart.clone();
        keyLength = keyLength.clone();
    }

    /** Layout of an encoder batch: sequences of the given lengths packed back to back, attending to themselves. */
    public static SequenceLayout packed(int... lengths) {
        int[] starts = new int[lengths.length];
        for (int s = 1; s < lengths.length; s++) starts[s] = starts[s - 1] + lengths[s - 1];
        return new SequenceLayout(starts, lengths, starts, lengths);
    }

    public int sequenceCount() {
        return queryStart.length;
    }

    /** Total query rows (tokens in the batch). */
    public int queryRows() {
        int t = 0;
        for (int l : queryLength) t += l;
        return t;
    }

    public int queryStart(int s) {
        return queryStart[s];
    }

    public int queryLength(int s) {
        return queryLength[s];
    }

    public int keyStart(int s) {
        return keyStart[s];
    }

    public int keyLength(int s) {
        return keyLength[s];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceLayout l && Arrays.equals(queryStart, l.queryStart) && Arrays.equals(queryLength, l.queryLength)
                && Arrays.equals(keyStart, l.keyStart) && Arrays.equals(keyLength, l.keyLength);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(queryStart) * 31 + Arrays.hashCode(queryLength);
    }

    @Override
    public String toString() {
        return "SequenceLayout" + Arrays.toString(queryLength);
    }
}
