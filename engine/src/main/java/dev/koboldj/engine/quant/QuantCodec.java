package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Reads one ggml tensor format: decodes blocks of weights to floats and computes scalar reference dot products.
 * Offsets are in bytes for the encoded side and in elements for float arrays. Instances are stateless and
 * thread-safe; obtain them from {@link Quants#codec(GgmlType)}.
 */
public interface QuantCodec {
    GgmlType type();

    /** Decodes count elements (a multiple of type().blockSize) starting at byte srcOffset (a block boundary) into dst[dstOffset..]. */
    void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count);

    /**
     * Scalar reference dot product of count weights at srcOffset with x[xOffset..]: each weight is decoded exactly
     * as {@link #dequantize} decodes it, the products are summed in double precision in element order, and the sum
     * is rounded to float once.
     */
    float dot(MemorySegment src, long srcOffset, float[] x, int xOffset, int count);
}
