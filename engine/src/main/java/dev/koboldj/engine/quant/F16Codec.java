package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * F16: one IEEE binary16 per element, 2 bytes little-endian. Decoding is exact; encoding rounds to nearest even
 * and overflows to infinity like ggml (see {@link HalfFloats}).
 */
final class F16Codec extends BlockQuantizer {
    F16Codec() {
        super(GgmlType.F16);
    }

    @Override
    void decodeBlock(MemorySegment src, long offset, float[] y, int yOffset) {
        y[yOffset] = Float.float16ToFloat(src.get(Layouts.SHORT, offset));
    }

    @Override
    void encodeBlock(float[] x, int xOffset, MemorySegment dst, long offset) {
        dst.set(Layouts.SHORT, offset, Float.floatToFloat16(x[xOffset]));
    }
}
