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
 * Q5_1: 32 weights in 24 bytes.
 * <pre>
 * [0, 2)   d   fp16 scale
 * [2, 4)   m   fp16 minimum
 * [4, 8)   qh  uint32 little-endian: bit i is the fifth (high) bit of weight i
 * [8, 24)  qs  16 bytes: byte j holds the low 4 bits of weight j (low nibble) and of weight j+16 (high nibble)
 * weight = q * d + m with q = nibble | highBit << 4 in [0, 32)
 * </pre>
 * Encoding (quantize_row_q5_1_ref): m = block minimum, d = (max - min) / 31, q = trunc((x - min) / d + 0.5).
 */
final class Q5_1Codec extends BlockQuantizer {
    Q5_1Codec() {
        super(GgmlType.Q5_1);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        float m = f16(s, o + 2);
        int qh = i32(s, o + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, o + 8 + j);
            int q0 = (q & 0xF) | ((qh >>> j) & 1) << 4;
            int q1 = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
            y[yo + j] = q0 * d + m;
            y[yo + j + 16] = q1 * d + m;
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            float v = x[xo + j];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        float d = (max - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(s, o, d);
        putF16(s, o + 2, min);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            // llama.cpp stores (uint8_t)(x + 0.5f) without a clamp; the value never exceeds 31.5 here.
            int q0 = (int) ((x[xo + j] - min) * id + 0.5f) & 0xFF;
            int q1 = (int) ((x[xo + 16 + j] - min) * id + 0.5f) & 0xFF;
            put8(s, o + 8 + j, (q0 & 0xF) | (q1 & 0xF) << 4);
            qh |= (q0 >>> 4 & 1) << j;
            qh |= (q1 >>> 4 & 1) << (j + 16);
        }
        put32(s, o + 4, qh);
    }
}
