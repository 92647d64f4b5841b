package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.KQuantSearch.nearestInt;
import static dev.koboldj.engine.quant.Layouts.i8;
import static dev.koboldj.engine.quant.Layouts.put8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q8_K: 256 values in 292 bytes; ggml's activation format for dot products with K-quant weights.
 * <pre>
 * [0, 4)      d      fp32 scale (not fp16)
 * [4, 260)    qs     256 signed bytes, value i = qs[i] * d
 * [260, 292)  bsums  sixteen int16: sum of qs over each group of 16 (for the K-quant min terms)
 * </pre>
 * Encoding (quantize_row_q8_K_ref): d = max / -127 for the element of largest magnitude, qs = min(127, nearest(x / d)).
 */
final class Q8_KCodec extends BlockQuantizer {
    Q8_KCodec() {
        super(GgmlType.Q8_K);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = s.get(Layouts.FLOAT, o);
        for (int j = 0; j < 256; j++) y[yo + j] = d * i8(s, o + 4 + j);
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        float max = 0, amax = 0;
        for (int j = 0; j < 256; j++) {
            float ax = Math.abs(x[xo + j]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + j];
            }
        }
        if (amax == 0) {
            s.asSlice(o, blockBytes).fill((byte) 0);
            return;
        }
        float iscale = -127.f / max;
        int[] q = new int[256];
        for (int j = 0; j < 256; j++) {
            q[j] = Math.min(127, nearestInt(iscale * x[xo + j]));
            put8(s, o + 4 + j, q[j]);
        }
        for (int g = 0; g < 16; g++) {
            int sum = 0;
            for (int i = 0; i < 16; i++) sum += q[16 * g + i];
            s.set(Layouts.SHORT, o + 260 + 2L * g, (short) sum);
        }
        s.set(Layouts.FLOAT, o, 1 / iscale);
    }
}
