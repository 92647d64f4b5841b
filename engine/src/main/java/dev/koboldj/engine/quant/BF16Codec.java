package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * BF16: the upper 16 bits of an IEEE binary32, 2 bytes little-endian. Decoding is exact (shift left by 16);
 * encoding follows ggml's {@code ggml_compute_fp32_to_bf16} (see {@link HalfFloats#floatToBf16}).
 */
final class BF16Codec extends BlockQuantizer {
    BF16Codec() {
        super(GgmlType.BF16);
    }

    @Override
    void decodeBlock(MemorySegment src, long offset, float[] y, int yOffset) {
        y[yOffset] = HalfFloats.bf16ToFloat(src.get(Layouts.SHORT, offset));
    }

    @Override
    void encodeBlock(float[] x, int xOffset, MemorySegment dst, long offset) {
        dst.set(Layouts.SHORT, offset, HalfFloats.floatToBf16(x[xOffset]));
    }
}
