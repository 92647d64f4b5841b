package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.KQuantSearch.nearestInt;
import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q2_K: 256 weights in 84 bytes, sixteen groups of 16 with a 4-bit scale and 4-bit min each.
 * <pre>
 * [0, 16)   scales  byte g: low nibble = scale of group g, high nibble = min of group g
 * [16, 80)  qs      2-bit levels: weight e = 128h + 32k + l (h = 0..1, k = 0..3, l = 0..31) is
 *                   bits 2k..2k+1 of qs[32h + l]; its group is g = 8h + 2k + l/16
 * [80, 82)  d       fp16 super-scale of the scales
 * [82, 84)  dmin    fp16 super-scale of the mins
 * weight = d * scale_g * level - dmin * min_g
 * </pre>
 * Encoding: quantize_row_q2_K_ref (make_qkx2_quants per group with |x| weights and absolute error, 4-bit scales and
 * mins relative to their maxima, then levels recomputed from the stored scales).
 */
final class Q2_KCodec extends BlockQuantizer {
    Q2_KCodec() {
        super(GgmlType.Q2_K);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o + 80);
        float min = f16(s, o + 82);
        int out = yo;
        int group = 0;
        for (int half = 0; half < 2; half++) {
            long q = o + 16 + 32 * half;
            for (int k = 0; k < 4; k++) {
                int shift = 2 * k;
                for (int sub = 0; sub < 2; sub++) {
                    int sc = u8(s, o + group++);
                    float dl = d * (sc & 0xF);
                    float ml = min * (sc >>> 4);
                    for (int l = 0; l < 16; l++) {
                        y[out++] = dl * ((u8(s, q + 16 * sub + l) >>> shift) & 3) - ml;
                    }
                }
            }
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        int[] L = new int[256];
        int[] laux = new int[16];
        float[] weights = new float[16];
        float[] mins = new float[16];
        float[] scales = new float[16];
        float[] theMin = new float[1];
        final float q4scale = 15.f;

        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 16; j++) {
            for (int l = 0; l < 16; l++) weights[l] = Math.abs(x[xo + 16 * j + l]);
            scales[j] = KQuantSearch.makeQkx2Quants(16, 3, x, xo + 16 * j, weights, L, 16 * j, theMin, laux, -0.5f, 0.1f, 15, true);
            mins[j] = theMin[0];
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }

        int[] sc = new int[16];
        float d = 0, dmin = 0;
        if (maxScale > 0) {
            float iscale = q4scale / maxScale;
            for (int j = 0; j < 16; j++) sc[j] = nearestInt(iscale * scales[j]) & 0xFF;
            d = maxScale / q4scale;
        }
        if (maxMin > 0) {
            float iscale = q4scale / maxMin;
            for (int j = 0; j < 16; j++) sc[j] = (sc[j] | nearestInt(iscale * mins[j]) << 4) & 0xFF;
            dmin = maxMin / q4scale;
        }
        float d16 = HalfFloats.roundToF16(d);
        float dmin16 = HalfFloats.roundToF16(dmin);
        for (int j = 0; j < 16; j++) {
            float dj = d16 * (sc[j] & 0xF);
            if (dj == 0) continue;
            float dm = dmin16 * (sc[j] >>> 4);
            for (int i = 0; i < 16; i++) {
                int l = nearestInt((x[xo + 16 * j + i] + dm) / dj);
                L[16 * j + i] = Math.max(0, Math.min(3, l));
            }
        }

        for (int j = 0; j < 16; j++) put8(s, o + j, sc[j]);
        for (int j = 0; j < 256; j += 128) {
            for (int l = 0; l < 32; l++) {
                put8(s, o + 16 + j / 4 + l, L[j + l] | L[j + l + 32] << 2 | L[j + l + 64] << 4 | L[j + l + 96] << 6);
            }
        }
        putF16(s, o + 80, d);
        putF16(s, o + 82, dmin);
    }
}
