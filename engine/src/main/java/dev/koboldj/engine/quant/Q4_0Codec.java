package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q4_0: 32 weights in 18 bytes.
 * <pre>
 * [0, 2)   d   fp16 scale
 * [2, 18)  qs  16 bytes: byte j holds weight j in its low nibble and weight j+16 in its high nibble
 * weight = (nibble - 8) * d
 * </pre>
 * Encoding (quantize_row_q4_0_ref): d = (the element of largest magnitude) / -8, so that element maps to nibble 0;
 * nibble = min(15, trunc(x / d + 8.5)).
 */
final class Q4_0Codec extends BlockQuantizer {
    Q4_0Codec() {
        super(GgmlType.Q4_0);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, o + 2 + j);
            y[yo + j] = ((q & 0xF) - 8) * d;
            y[yo + j + 16] = ((q >>> 4) - 8) * d;
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
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(s, o, d);
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (int) (x[xo + j] * id + 8.5f));
            int q1 = Math.min(15, (int) (x[xo + 16 + j] * id + 8.5f));
            put8(s, o + 2 + j, q0 | (q1 << 4));
        }
    }
}
