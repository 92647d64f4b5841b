package dev.koboldj.server.scheduling;

/** Sequences from one or more jobs packed for one forward pass; {@code owners[i]} and {@code slots[i]} say where sequence i's vector goes. */
record WorkBatch(int[][] sequences, EmbedJob[] owners, int[] slots, int tokens) {
    int size() {
        return sequences.length;
    }
}
