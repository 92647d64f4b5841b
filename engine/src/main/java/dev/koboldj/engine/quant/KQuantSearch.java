package dev.koboldj.engine.quant;

/**
 * The scale searches of llama.cpp's reference K-quant encoders (ggml-quants.c: {@code nearest_int},
 * {@code make_qx_quants}, {@code make_q3_quants}, {@code make_qkx2_quants}), re-implemented with the same float
 * operations in the same order so that, barring compiler contraction of a*b+c into FMA on the C side, the encoded
 * bytes match. All work on a group of {@code n} values {@code x[xo .. xo+n)} and write levels to {@code L[lo ..)}.
 */
final class KQuantSearch {
    /** ggml's GROUP_MAX_EPS: groups whose largest magnitude is below this are treated as all zero. */
    static final float GROUP_MAX_EPS = 1e-15f;

    private KQuantSearch() {
    }

    /**
     * ggml's nearest_int: adds 1.5 * 2^23 in float, which rounds to nearest with ties to even for |f| <= 2^22;
     * {@link Math#rint} gives the same integers there (and saturates instead of wrapping outside that range).
     */
    static int nearestInt(float f) {
        return (int) Math.rint(f);
    }

    /** C's roundf: to nearest, halfway cases away from zero (exact for every float). */
    static int roundHalfAway(float f) {
        return (int) Math.copySign(Math.floor(Math.abs((double) f) + 0.5), f);
    }

    /**
     * make_qx_quants without importance weights: symmetric levels l in [-nmax, nmax) stored as l + nmax, scale search
     * over iscale = -(nmax + 0.1 is) / max for is in [-9, 9] maximising (sum w x l)^2 / sum w l^2, where the weight
     * w is x^2 (rmseType 1), 1 (2), |x| (3) or sqrt|x| (other); rmseType 0 takes the first guess, negative returns early.
     * Returns the scale (negative when the largest-magnitude element is positive).
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xo, int[] L, int lo, int rmseType) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lo + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        if (rmseType == 0) {
            for (int i = 0; i < n; i++) {
                int l = nearestInt(iscale * x[xo + i]);
                L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
            }
            return 1 / iscale;
        }
        boolean returnEarly = false;
        if (rmseType < 0) {
            rmseType = -rmseType;
            returnEarly = true;
        }
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = l + nmax;
            float w = weight(rmseType, xi);
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        if (returnEarly) return suml2 > 0 ? 0.5f * (scale + 1 / iscale) : 1 / iscale;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) continue;
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int l = nearestInt(iscale * xi);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                float w = weight(rmseType, xi);
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    int l = nearestInt(iscale * x[xo + i]);
                    L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    private static float weight(int rmseType, float x) {
        return switch (rmseType) {
            case 1 -> x * x;
            case 2 -> 1;
            case 3 -> Math.abs(x);
            default -> (float) Math.sqrt(Math.abs(x));
        };
    }

    /**
     * make_q3_quants with do_rmse: symmetric levels l in [-nmax, nmax) from iscale = -nmax / max, then up to five
     * passes of coordinate descent on each level maximising (sum w x l)^2 / sum w l^2 with w = x^2. Levels are
     * stored as l + nmax (0 for an all-zero group); returns the least-squares scale.
     */
    static float makeQ3Quants(int n, int nmax, float[] x, int xo, int[] L, int lo) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lo + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int li = L[lo + i];
                float w = xi * xi;
                float slx = sumlx - w * xi * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int newL = nearestInt(xi * sl2 / slx);
                    newL = Math.max(-nmax, Math.min(nmax - 1, newL));
                    if (newL != li) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lo + i] = newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) break;
        }
        for (int i = 0; i < n; i++) L[lo + i] += nmax;
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /**
     * make_qkx2_quants: asymmetric levels l in [0, nmax] for x ~ scale * l + min with min <= 0. Starts from the
     * range (min clamped to <= 0), then for iscale = (rmin + rdelta*is + nmax) / (max - min), is = 0..nstep, fits
     * scale and min by weighted least squares and keeps the candidate with the smallest weighted error (absolute
     * when useMad, squared otherwise). Writes -min to {@code theMin[0]} and returns the scale.
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xo, float[] weights, int[] L, int lo, float[] theMin,
                                int[] laux, float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[xo], max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            float xi = x[xo + i];
            if (xi < min) min = xi;
            if (xi > max) max = xi;
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) L[lo + i] = 0;
            theMin[0] = -min;
            return 0.f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = nearestInt(iscale * (x[xo + i] - min));
            L[lo + i] = Math.max(0, Math.min(nmax, l));
            float diff = scale * L[lo + i] + min - x[xo + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            theMin[0] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = nearestInt(iscale * (x[xo + i] - min));
                l = Math.max(0, Math.min(nmax, l));
                laux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xo + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * laux[i] + thisMin - x[xo + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    System.arraycopy(laux, 0, L, lo, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[0] = -min;
        return scale;
    }

    /**
     * Unpacks the 6-bit scale (index 0) and min (index 1) of sub-block j from the 12 packed bytes of Q4_K/Q5_K
     * (llama.cpp's get_scale_min_k4). Bytes 0-3: scales 0-3 in bits 0-5; bytes 4-7: mins 0-3 in bits 0-5;
     * bytes 8-11: low nibble = low 4 bits of scale j, high nibble = low 4 bits of min j (j = 4..7), whose top two
     * bits are bits 6-7 of byte j-4 (scale) and of byte j (min).
     */
    static int scaleK4(byte[] q, int j) {
        return j < 4 ? q[j] & 63 : (q[j + 4] & 0xF) | ((q[j - 4] & 0xFF) >>> 6) << 4;
    }

    static int minK4(byte[] q, int j) {
        return j < 4 ? q[j + 4] & 63 : ((q[j + 4] & 0xFF) >>> 4) | ((q[j] & 0xFF) >>> 6) << 4;
    }

    /** Packs 6-bit scales and mins of the eight sub-blocks into the 12-byte Q4_K/Q5_K layout {@link #scaleK4} reads. */
    static byte[] packScalesK4(int[] ls, int[] lm) {
        byte[] q = new byte[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                q[j] = (byte) ls[j];
                q[j + 4] = (byte) lm[j];
            } else {
                q[j + 4] = (byte) ((ls[j] & 0xF) | (lm[j] & 0xF) << 4);
                q[j - 4] |= (byte) ((ls[j] >>> 4) << 6);
                q[j] |= (byte) ((lm[j] >>> 4) << 6);
            }
        }
        return q;
    }
}
