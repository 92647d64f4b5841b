package dev.koboldj.server.scheduling;

/** One forward pass: un-normalised, full-dimension vectors for token sequences, in order. */
@FunctionalInterface
public interface Forward {
    float[][] run(int[][] sequences);
}
