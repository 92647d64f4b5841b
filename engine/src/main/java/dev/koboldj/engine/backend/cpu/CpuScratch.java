package dev.koboldj.engine.backend.cpu;

/**
 * Reusable buffers of one pool worker (see {@link WorkerPool#scratch}). Each getter returns an array of at least the
 * requested length, growing it when a larger shape arrives, so steady-state kernels allocate nothing. Contents are
 * undefined on return.
 */
final class CpuScratch {
    private float[] panel = new float[0];
    private float[] rows = new float[0];
    private float[] tile = new float[0];
    private float[] scores = new float[0];
    private short[] halves = new short[0];
    private byte[] bytes = new byte[0];

    /** A K x PW weight panel. */
    float[] panel(int n) {
        if (panel.length < n) panel = new float[n];
        return panel;
    }

    /** Decoded weight rows. */
    float[] rows(int n) {
        if (rows.length < n) rows = new float[n];
        return rows;
    }

    /** One micro-tile of outputs. */
    float[] tile(int n) {
        if (tile.length < n) tile = new float[n];
        return tile;
    }

    /** Attention scores. */
    float[] scores(int n) {
        if (scores.length < n) scores = new float[n];
        return scores;
    }

    /** Raw 16-bit values read from a weight. */
    short[] halves(int n) {
        if (halves.length < n) halves = new short[n];
        return halves;
    }

    /** Raw bytes read from a weight. */
    byte[] bytes(int n) {
        if (bytes.length < n) bytes = new byte[n];
        return bytes;
    }
}
