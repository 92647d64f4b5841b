package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** Decoding of one GGUF tensor format. */
public interface QuantCodec {
    GgmlType type();

    /** Decodes count elements (a multiple of type().blockSize) starting at byte srcOffset (a block boundary) into dst[dstOffset..]. */
    void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count);

    /** Scalar reference dot product of count weights at srcOffset with x[xOffset..]. */
    float dot(MemorySegment src, long srcOffset, float[] x, int xOffset, int count);
}
