package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q4_1: 32 weights in 20 bytes.
 * <pre>
 * [0, 2)   d   fp16 scale
 * [2, 4)   m   fp16 minimum
 * [4, 20)  qs  16 bytes: byte j holds weight j in its low nibble and weight j+16 in its high nibble
 * weight = nibble * d + m
 * </pre>
 * Encoding (quantize_row_q4_1_ref): m = block minimum, d = (max - min) / 15, nibble = min(15, trunc((x - min) / d + 0.5)).
 */
final class Q4_1Codec extends BlockQuantizer {
    Q4_1Codec() {
        super(GgmlType.Q4_1);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        float m = f16(s, o + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, o + 4 + j);
            y[yo + j] = (q & 0xF) * d + m;
            y[yo + j + 16] = (q >>> 4) * d + m;
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
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(s, o, d);
        putF16(s, o + 2, min);
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (int) ((x[xo + j] - min) * id + 0.5f));
            int q1 = Math.min(15, (int) ((x[xo + 16 + j] - min) * id + 0.5f));
            put8(s, o + 4 + j, q0 | (q1 << 4));
        }
    }
}
