package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.ErrorBoundsTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** All zeros, constant rows, magnitudes below the fp16 range and a single outlier, for every writable format. */
class EdgeCaseTest {
    static List<GgmlType> writableTypes() {
        return Arrays.stream(GgmlType.values()).filter(Quants::canQuantize).toList();
    }

    @ParameterizedTest
    @MethodSource("writableTypes")
    void allZerosDecodeToZeros(GgmlType t) {
        float[] y = roundTrip(t, new float[1024]);
        for (int i = 0; i < y.length; i++) assertEquals(0f, y[i], 0f, t + " element " + i);
    }

    /**
     * A constant row is reproduced up to the fp16 rounding of the scale(s) that encode it: one rounding of at most
     * 2^-11 relative, with a second 2^-11 allowed for formats whose value is a product of two stored factors
     * (K-quants: fp16 super-scale x 6/8-bit scale). The constants keep every block scale in fp16's normal range.
     * F16 rounds once (2^-11), BF16 once (2^-8), F32 is exact.
     */
    @ParameterizedTest
    @MethodSource("writableTypes")
    void constantRowsAreReproduced(GgmlType t) {
        double rel = switch (t) {
            case F32 -> 0;
            case BF16 -> 0x1p-8;
            case F16 -> 0x1p-11;
            default -> 0x1p-10;
        };
        for (float c : new float[]{0.7f, -0.7f, 1234.5f, -1234.5f}) {
            float[] x = new float[512];
            Arrays.fill(x, c);
            float[] y = roundTrip(t, x);
            for (int i = 0; i < y.length; i++) {
                assertTrue(Math.abs(y[i] - c) <= rel * Math.abs(c), t + " constant " + c + " element " + i + " decoded as " + y[i]);
            }
        }
    }

    /**
     * Magnitudes around 1e-9 are below what fp16 block scales can hold (smallest subnormal 2^-24): the formats
     * then flush toward zero, as ggml does. The result must stay finite and no element may be off by more than
     * the largest input magnitude.
     */
    @ParameterizedTest
    @MethodSource("writableTypes")
    void magnitudesBelowTheFp16RangeDegradeGracefully(GgmlType t) {
        float[] x = Blocks.gaussian(11, 1024, 1e-9);
        float amax = 0;
        for (float v : x) amax = Math.max(amax, Math.abs(v));
        float[] y = roundTrip(t, x);
        for (int i = 0; i < y.length; i++) {
            assertTrue(Float.isFinite(y[i]), t + " element " + i + " is " + y[i]);
            assertTrue(Math.abs(y[i] - x[i]) <= amax, t + " element " + i);
        }
    }

    /** Levels per group: the outlier's own error may not exceed one quantization step of its group. */
    private static final Map<GgmlType, Integer> LEVELS = Map.ofEntries(
            Map.entry(GgmlType.Q8_0, 255), Map.entry(GgmlType.Q8_K, 255), Map.entry(GgmlType.Q6_K, 64),
            Map.entry(GgmlType.Q5_0, 32), Map.entry(GgmlType.Q5_1, 32), Map.entry(GgmlType.Q5_K, 32),
            Map.entry(GgmlType.Q4_0, 16), Map.entry(GgmlType.Q4_1, 16), Map.entry(GgmlType.Q4_K, 16),
            Map.entry(GgmlType.Q3_K, 8), Map.entry(GgmlType.Q2_K, 4));

    /**
     * One value of 1000 in a N(0, 1) row: it only costs accuracy inside its own block (super-block for the
     * K-quants, whose sub-block scales share one fp16 super-scale); every other block keeps the Gaussian bound of
     * {@link ErrorBoundsTest}, and the outlier itself is within one step (range / (levels - 1)) of its group.
     */
    @ParameterizedTest
    @MethodSource("writableTypes")
    void aSingleOutlierOnlyAffectsItsOwnBlock(GgmlType t) {
        int at = 1000;
        float[] x = Blocks.gaussian(12, 4096, 1.0);
        x[at] = 1000f;
        float[] y = roundTrip(t, x);
        double bound = ErrorBoundsTest.bounds().filter(a -> a.get()[0] == t).map(a -> (Double) a.get()[1]).findFirst().orElseThrow();
        int from = at / t.blockSize * t.blockSize, to = from + t.blockSize;
        float[] xs = concat(Arrays.copyOfRange(x, 0, from), Arrays.copyOfRange(x, to, x.length));
        float[] ys = concat(Arrays.copyOfRange(y, 0, from), Arrays.copyOfRange(y, to, y.length));
        double err = Blocks.relRms(xs, ys, 0, xs.length);
        assertTrue(err <= bound, t + ": blocks without the outlier have relative RMS error " + err + " > " + bound);
        double step = t.isQuantized() ? 1001.0 / (LEVELS.get(t) - 1) : 1000 * bound;
        assertTrue(Math.abs(y[at] - 1000f) <= step, t + ": outlier decoded as " + y[at]);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
