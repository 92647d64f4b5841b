package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.KQuantSearch.nearestInt;
import static dev.koboldj.engine.quant.Layouts.f16;
import static dev.koboldj.engine.quant.Layouts.i8;
import static dev.koboldj.engine.quant.Layouts.put8;
import static dev.koboldj.engine.quant.Layouts.putF16;
import static dev.koboldj.engine.quant.Layouts.u8;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q6_K: 256 weights in 210 bytes, sixteen groups of 16 with a signed 8-bit scale each.
 * <pre>
 * [0, 128)    ql      low 4 bits: weight e = 128h + 32k + l (h = 0..1, k = 0..3, l = 0..31) is the low nibble
 *                     (k = 0, 1) or high nibble (k = 2, 3) of ql[64h + l + 32(k % 2)]
 * [128, 192)  qh      high 2 bits: bits 2k..2k+1 of qh[32h + l]
 * [192, 208)  scales  sixteen int8 scales; group g = 8h + 2k + l/16
 * [208, 210)  d       fp16 super-scale
 * weight = d * scale_g * (q - 32) with q = low | high << 4 in [0, 64)
 * </pre>
 * Encoding: quantize_row_q6_K_ref (make_qx_quants with nmax 32 and x^2 weights per group, scales quantized to
 * int8 relative to the largest-magnitude one, levels recomputed from the stored scales).
 */
final class Q6_KCodec extends BlockQuantizer {
    Q6_KCodec() {
        super(GgmlType.Q6_K);
    }

    @Override
    void decodeBlock(MemorySegment s, long o, float[] y, int yo) {
        float d = f16(s, o + 208);
        for (int h = 0; h < 2; h++) {
            long ql = o + 64 * h, qh = o + 128 + 32 * h, sc = o + 192 + 8 * h;
            int base = yo + 128 * h;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lo0 = u8(s, ql + l), lo1 = u8(s, ql + l + 32), hi = u8(s, qh + l);
                int q1 = ((lo0 & 0xF) | (hi & 3) << 4) - 32;
                int q2 = ((lo1 & 0xF) | (hi >>> 2 & 3) << 4) - 32;
                int q3 = ((lo0 >>> 4) | (hi >>> 4 & 3) << 4) - 32;
                int q4 = ((lo1 >>> 4) | (hi >>> 6 & 3) << 4) - 32;
                y[base + l] = d * i8(s, sc + is) * q1;
                y[base + l + 32] = d * i8(s, sc + is + 2) * q2;
                y[base + l + 64] = d * i8(s, sc + is + 4) * q3;
                y[base + l + 96] = d * i8(s, sc + is + 6) * q4;
            }
        }
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment s, long o) {
        int[] L = new int[256];
        float[] scales = new float[16];
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            float scale = KQuantSearch.makeQxQuants(16, 32, x, xo + 16 * ib, L, 16 * ib, 1);
            scales[ib] = scale;
            float abs = Math.abs(scale);
            if (abs > maxAbsScale) {
                maxAbsScale = abs;
                maxScale = scale;
            }
        }
        if (maxAbsScale < KQuantSearch.GROUP_MAX_EPS) {
            s.asSlice(o, blockBytes).fill((byte) 0);
            return;
        }

        float iscale = -128.f / maxScale;
        float d = 1 / iscale;
        int[] sc = new int[16];
        for (int ib = 0; ib < 16; ib++) sc[ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));

        float d16 = HalfFloats.roundToF16(d);
        for (int j = 0; j < 16; j++) {
            float dj = d16 * sc[j];
            if (dj == 0) continue;
            for (int i = 0; i < 16; i++) {
                int l = nearestInt(x[xo + 16 * j + i] / dj);
                L[16 * j + i] = Math.max(-32, Math.min(31, l)) + 32;
            }
        }

        for (int h = 0; h < 2; h++) {
            int j = 128 * h;
            for (int l = 0; l < 32; l++) {
                int q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF, q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
                put8(s, o + 64 * h + l, q1 | q3 << 4);
                put8(s, o + 64 * h + l + 32, q2 | q4 << 4);
                put8(s, o + 128 + 32 * h + l, L[j + l] >>> 4 | (L[j + l + 32] >>> 4) << 2 | (L[j + l + 64] >>> 4) << 4 | (L[j + l + 96] >>> 4) << 6);
            }
        }
        for (int ib = 0; ib < 16; ib++) put8(s, o + 192 + ib, sc[ib]);
        putF16(s, o + 208, d);
    }
}
