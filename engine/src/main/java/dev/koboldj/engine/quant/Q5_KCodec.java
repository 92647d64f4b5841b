package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q5_K: 256 weights in 176 bytes, eight sub-blocks of 32 with a 6-bit scale and 6-bit min each.
 * <pre>
 * [0, 2)     d       fp16 super-scale of the scales
 * [2, 4)     dmin    fp16 super-scale of the mins
 * [4, 16)    scales  8 scales + 8 mins, 6 bits each, packed as {@link KQuantSearch#scaleK4} describes
 * [16, 48)   qh      fifth bit: weight e = 64c + 32u + l (c = 0..3, u = 0..1, l = 0..31) has it in bit 2c+u of qh[l]
 * [48, 176)  qs      low 4 bits: low (u = 0) or high (u = 1) nibble of qs[32c + l]
 * sub-block j = 2c + u; level = nibble + 16 * highBit in [0, 32); weight = d * scale_j * level - dmin * min_j
 * </pre>
 * Encoding: quantize_row_q5_K_ref (make_qkx2_quants with nmax 31, rmin -0.5, rdelta 0.1, 15 steps).
 */
final class Q5_KCodec extends BlockQuantizer {
    Q5_KCodec() {
        super(GgmlType.Q5_K);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o);
        float min = f16(s, o + 2);
        byte[] sc = s.asSlice(o + 4, 12).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int out = yo;
        int u1 = 1, u2 = 2;
        for (int c = 0; c < 4; c++) {
            float d1 = d * KQuantSearch.scaleK4(sc, 2 * c), m1 = min * KQuantSearch.minK4(sc, 2 * c);
            float d2 = d * KQuantSearch.scaleK4(sc, 2 * c + 1), m2 = min * KQuantSearch.minK4(sc, 2 * c + 1);
            long ql = o + 48 + 32 * c;
            for (int l = 0; l < 32; l++) y[out++] = d1 * ((u8(s, ql + l) & 0xF) + ((u8(s, o + 16 + l) & u1) != 0 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; l++) y[out++] = d2 * ((u8(s, ql + l) >>> 4) + ((u8(s, o + 16 + l) & u2) != 0 ? 16 : 0)) - m2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        KQuantEncoding.Result r = KQuantEncoding.encodeScaleMin(x, xo, 31, -0.5f, 0.1f, 15);
        putF16(s, o, r.d());
        putF16(s, o + 2, r.dmin());
        for (int j = 0; j < 12; j++) put8(s, o + 4 + j, r.scales()[j]);
        int[] L = r.levels();
        int[] qh = new int[32];
        int m1 = 1, m2 = 2;
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                int l1 = L[64 * c + l];
                if (l1 > 15) {
                    l1 -= 16;
                    qh[l] |= m1;
                }
                int l2 = L[64 * c + l + 32];
                if (l2 > 15) {
                    l2 -= 16;
                    qh[l] |= m2;
                }
                put8(s, o + 48 + 32 * c + l, l1 | l2 << 4);
            }
            m1 <<= 2;
            m2 <<= 2;
        }
        for (int l = 0; l < 32; l++) put8(s, o + 16 + l, qh[l]);
    }
}
