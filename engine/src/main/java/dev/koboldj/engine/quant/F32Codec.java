package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** F32: one IEEE binary32 per element, 4 bytes little-endian. Encoding and decoding are exact (bit copies). */
final class F32Codec extends BlockQuantizer {
    F32Codec() {
        super(GgmlType.F32);
    }

    @Override
    void decodeBlock(MemorySegment src, long offset, float[] y, int yOffset) {
        y[yOffset] = src.get(Layouts.FLOAT, offset);
    }

    @Override
    void encodeBlock(float[] x, int xOffset, MemorySegment dst, long offset) {
        dst.set(Layouts.FLOAT, offset, x[xOffset]);
    }

    @Override
    public void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        if (count < 0) throw new IllegalArgumentException("negative count " + count);
        MemorySegment.copy(src, Layouts.FLOAT, srcOffset, dst, dstOffset, count);
    }

    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
        if (count < 0) throw new IllegalArgumentException("negative count " + count);
        MemorySegment.copy(src, srcOffset, dst, Layouts.FLOAT, dstOffset, count);
    }
}
