package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.KQuantSearch.nearestInt;

/**
 * The scale/min part shared by the Q4_K and Q5_K reference encoders (quantize_row_q4_K_ref, quantize_row_q5_K_ref):
 * eight sub-blocks of 32 are fitted with make_qkx2_quants using weights av_x + |x| (av_x = RMS of the sub-block),
 * their scales and mins are quantized to 6 bits relative to the largest of each, and the levels are then
 * recomputed from the stored (fp16 x 6-bit) scales and mins.
 */
final class KQuantEncoding {
    /** Levels (256, in [0, nmax]), the 12 packed scale bytes, and the fp32 values stored as fp16 d and dmin. */
    record Result(int[] levels, byte[] scales, float d, float dmin) {
    }

    private KQuantEncoding() {
    }

    static Result encodeScaleMin(float[] x, int xo, int nmax, float rmin, float rdelta, int nstep) {
        int[] L = new int[256];
        int[] laux = new int[32];
        float[] weights = new float[32];
        float[] mins = new float[8];
        float[] scales = new float[8];
        float[] theMin = new float[1];

        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[xo + 32 * j + l] * x[xo + 32 * j + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = avX + Math.abs(x[xo + 32 * j + l]);
            scales[j] = KQuantSearch.makeQkx2Quants(32, nmax, x, xo + 32 * j, weights, L, 32 * j, theMin, laux, rmin, rdelta, nstep, false);
            mins[j] = theMin[0];
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }

        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        int[] ls = new int[8];
        int[] lm = new int[8];
        for (int j = 0; j < 8; j++) {
            // llama.cpp stores nearest_int into a uint8_t, then clamps to 63.
            ls[j] = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            lm[j] = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
        }
        byte[] packed = KQuantSearch.packScalesK4(ls, lm);
        float d = maxScale / 63.f;
        float dmin = maxMin / 63.f;

        float d16 = HalfFloats.roundToF16(d);
        float dmin16 = HalfFloats.roundToF16(dmin);
        for (int j = 0; j < 8; j++) {
            float dj = d16 * KQuantSearch.scaleK4(packed, j);
            if (dj == 0) continue;
            float dm = dmin16 * KQuantSearch.minK4(packed, j);
            for (int i = 0; i < 32; i++) {
                int l = nearestInt((x[xo + 32 * j + i] + dm) / dj);
                L[32 * j + i] = Math.max(0, Math.min(nmax, l));
            }
        }
        return new Result(L, packed, d, dmin);
    }
}
