package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.i8;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q8_0: 32 weights in 34 bytes.
 * <pre>
 * [0, 2)   d   fp16 scale
 * [2, 34)  qs  32 signed bytes, weight i = qs[i] * d
 * </pre>
 * Encoding (quantize_row_q8_0_ref): d = max|x| / 127; qs = roundf(x / d) (half away from zero), so qs is in [-127, 127].
 */
final class Q8_0Codec extends BlockQuantizer {
    Q8_0Codec() {
        super(GgmlType.Q8_0);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        for (int j = 0; j < 32; j++) y[yo + j] = i8(s, o + 2 + j) * d;
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[xo + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(s, o, d);
        for (int j = 0; j < 32; j++) put8(s, o + 2 + j, KQuantSearch.roundHalfAway(x[xo + j] * id));
    }
}
