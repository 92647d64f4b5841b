package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.KQuantSearch.nearestInt;
import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q3_K: 256 weights in 110 bytes, sixteen groups of 16 with a signed 6-bit scale each.
 * <pre>
 * [0, 32)    hmask   high bit of each 3-bit level: weight e = 128h + 32k + l (h = 0..1, k = 0..3, l = 0..31)
 *                    has its high bit in bit 4h+k of hmask[l]
 * [32, 96)   qs      low 2 bits: bits 2k..2k+1 of qs[32h + l]
 * [96, 108)  scales  sixteen 6-bit values s_g (stored as scale + 32): low 4 bits of s_g in the low nibble of
 *                    byte g (g < 8) or the high nibble of byte g-8 (g >= 8); top 2 bits in bits 2(g/4)..2(g/4)+1
 *                    of byte 8 + g%4
 * [108, 110) d       fp16 super-scale
 * group g = 8h + 2k + l/16; level = low2 - (highBit ? 0 : 4), in [-4, 3]; weight = d * (s_g - 32) * level
 * </pre>
 * Encoding: quantize_row_q3_K_ref (make_q3_quants per group, scales quantized relative to the largest-magnitude
 * one, levels recomputed from the stored scales).
 */
final class Q3_KCodec extends BlockQuantizer {
    Q3_KCodec() {
        super(GgmlType.Q3_K);
    }

    /** The stored 6-bit value of group g (scale + 32) from the 12 scale bytes at {@code o}. */
    private static int scale6(MemorySegment s, long o, int g) {
        int low = g < 8 ? u8(s, o + g) & 0xF : u8(s, o + g - 8) >>> 4;
        int high = (u8(s, o + 8 + g % 4) >>> (2 * (g / 4))) & 3;
        return low | high << 4;
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float dAll = f16(s, o + 108);
        int out = yo;
        int group = 0;
        int m = 1;
        for (int half = 0; half < 2; half++) {
            long q = o + 32 + 32 * half;
            for (int k = 0; k < 4; k++) {
                int shift = 2 * k;
                for (int sub = 0; sub < 2; sub++) {
                    float dl = dAll * (scale6(s, o + 96, group++) - 32);
                    for (int l = 16 * sub; l < 16 * sub + 16; l++) {
                        int low = (u8(s, q + l) >>> shift) & 3;
                        int level = low - ((u8(s, o + l) & m) != 0 ? 0 : 4);
                        y[out++] = dl * level;
                    }
                }
                m <<= 1;
            }
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        int[] L = new int[256];
        float[] scales = new float[16];

        float maxScale = 0, amax = 0;
        for (int j = 0; j < 16; j++) {
            scales[j] = KQuantSearch.makeQ3Quants(16, 4, x, xo + 16 * j, L, 16 * j);
            float scale = Math.abs(scales[j]);
            if (scale > amax) {
                amax = scale;
                maxScale = scales[j];
            }
        }

        byte[] sc = new byte[12];
        float d = 0;
        if (maxScale != 0) {
            float iscale = -32.f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = (byte) nearestInt(iscale * scales[j]); // llama.cpp narrows to int8_t before clamping
                l = Math.max(-32, Math.min(31, l)) + 32;
                if (j < 8) sc[j] = (byte) (l & 0xF);
                else sc[j - 8] |= (byte) ((l & 0xF) << 4);
                l >>>= 4;
                sc[j % 4 + 8] |= (byte) (l << (2 * (j / 4)));
            }
            d = 1 / iscale;
        }

        float d16 = HalfFloats.roundToF16(d);
        for (int j = 0; j < 16; j++) {
            int low = j < 8 ? sc[j] & 0xF : (sc[j - 8] & 0xFF) >>> 4;
            int v = (low | ((sc[8 + j % 4] & 0xFF) >>> (2 * (j / 4)) & 3) << 4) - 32;
            float dj = d16 * v;
            if (dj == 0) continue;
            for (int i = 0; i < 16; i++) {
                int l = nearestInt(x[xo + 16 * j + i] / dj);
                L[16 * j + i] = Math.max(-4, Math.min(3, l)) + 4;
            }
        }

        byte[] hmask = new byte[32];
        int m = 0, hm = 1;
        for (int j = 0; j < 256; j++) {
            if (L[j] > 3) {
                hmask[m] |= (byte) hm;
                L[j] -= 4;
            }
            if (++m == 32) {
                m = 0;
                hm <<= 1;
            }
        }

        for (int j = 0; j < 32; j++) put8(s, o + j, hmask[j]);
        for (int j = 0; j < 256; j += 128) {
            for (int l = 0; l < 32; l++) {
                put8(s, o + 32 + j / 4 + l, L[j + l] | L[j + l + 32] << 2 | L[j + l + 64] << 4 | L[j + l + 96] << 6);
            }
        }
        for (int j = 0; j < 12; j++) put8(s, o + 96 + j, sc[j]);
        putF16(s, o + 108, d);
    }
}
