package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * A format koboldj can also write. Encoding follows llama.cpp's reference quantizers ({@code quantize_row_*_ref},
 * what {@code llama-quantize} uses without an importance matrix): deterministic, and each block depends only on its
 * own elements. Obtain instances from {@link Quants#quantizer(GgmlType)}.
 */
public interface Quantizer extends QuantCodec {
    /** Encodes count floats (multiple of blockSize) from src[srcOffset..] into dst at dstOffset. */
    void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset);
}
