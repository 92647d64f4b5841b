package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q4_K: 256 weights in 144 bytes, eight sub-blocks of 32 with a 6-bit scale and 6-bit min each.
 * <pre>
 * [0, 2)     d       fp16 super-scale of the scales
 * [2, 4)     dmin    fp16 super-scale of the mins
 * [4, 16)    scales  8 scales + 8 mins, 6 bits each, packed as {@link KQuantSearch#scaleK4} describes
 * [16, 144)  qs      4-bit levels: weight e = 64c + 32u + l (c = 0..3, u = 0..1, l = 0..31) is the low (u = 0)
 *                    or high (u = 1) nibble of qs[32c + l]; its sub-block is j = 2c + u
 * weight = d * scale_j * level - dmin * min_j
 * </pre>
 * Encoding: quantize_row_q4_K_ref (make_qkx2_quants with nmax 15, rmin -1, rdelta 0.1, 20 steps).
 */
final class Q4_KCodec extends BlockQuantizer {
    Q4_KCodec() {
        super(GgmlType.Q4_K);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        float min = f16(s, o + 2);
        byte[] sc = s.asSlice(o + 4, 12).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int out = yo;
        for (int c = 0; c < 4; c++) {
            float d1 = d * KQuantSearch.scaleK4(sc, 2 * c), m1 = min * KQuantSearch.minK4(sc, 2 * c);
            float d2 = d * KQuantSearch.scaleK4(sc, 2 * c + 1), m2 = min * KQuantSearch.minK4(sc, 2 * c + 1);
            long q = o + 16 + 32 * c;
            for (int l = 0; l < 32; l++) y[out++] = d1 * (u8(s, q + l) & 0xF) - m1;
            for (int l = 0; l < 32; l++) y[out++] = d2 * (u8(s, q + l) >>> 4) - m2;
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        KQuantEncoding.Result r = KQuantEncoding.encodeScaleMin(x, xo, 15, -1.f, 0.1f, 20);
        putF16(s, o, r.d());
        putF16(s, o + 2, r.dmin());
        for (int j = 0; j < 12; j++) put8(s, o + 4 + j, r.scales()[j]);
        int[] L = r.levels();
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) put8(s, o + 16 + 32 * c + l, L[64 * c + l] | L[64 * c + l + 32] << 4);
        }
    }
}
