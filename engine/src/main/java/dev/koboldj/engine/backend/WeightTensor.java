package dev.koboldj.engine.backend;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * A weight as stored in a GGUF file: {@code dims} in GGUF order (dims[0] contiguous), {@code data} its encoded
 * bytes (usually a zero-copy slice of the memory-mapped file). A matrix weight of {@code dims = {K, N}} holds N rows
 * of K elements; vectors (biases, norms) have one dimension.
 */
public record WeightTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
    public WeightTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Elements per row (dims[0]). */
    public int cols() {
        return Math.toIntExact(dims[0]);
    }

    /** Number of rows: the product of dims[1..]. */
    public int rows() {
        long r = 1;
        for (int i = 1; i < dims.length; i++) r *= dims[i];
        return Math.toIntExact(r);
    }
}
