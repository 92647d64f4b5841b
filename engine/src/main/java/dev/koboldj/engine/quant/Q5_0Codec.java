package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.i32;
import static dev.koboldj.engine.quant.Layouts.put32;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q5_0: 32 weights in 22 bytes.
 * <pre>
 * [0, 2)   d   fp16 scale
 * [2, 6)   qh  uint32 little-endian: bit i is the fifth (high) bit of weight i
 * [6, 22)  qs  16 bytes: byte j holds the low 4 bits of weight j (low nibble) and of weight j+16 (high nibble)
 * weight = (q - 16) * d with q = nibble | highBit << 4 in [0, 32)
 * </pre>
 * Encoding (quantize_row_q5_0_ref): d = (element of largest magnitude) / -16; q = min(31, trunc(x / d + 16.5)).
 */
final class Q5_0Codec extends BlockQuantizer {
    Q5_0Codec() {
        super(GgmlType.Q5_0);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        int qh = i32(s, o + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, o + 6 + j);
            int q0 = (q & 0xF) | ((qh >>> j) & 1) << 4;
            int q1 = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
            y[yo + j] = (q0 - 16) * d;
            y[yo + j + 16] = (q1 - 16) * d;
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        float amax = 0, max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[xo + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(s, o, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(31, (int) (x[xo + j] * id + 16.5f));
            int q1 = Math.min(31, (int) (x[xo + 16 + j] * id + 16.5f));
            put8(s, o + 6 + j, (q0 & 0xF) | (q1 & 0xF) << 4);
            qh |= (q0 >>> 4 & 1) << j;
            qh |= (q1 >>> 4 & 1) << (j + 16);
        }
        put32(s, o + 2, qh);
    }
}
