package dev.koboldj.engine.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round-trip error bounds per format on seeded Gaussian rows.
 *
 * <p>Relative RMS error = sqrt(sum (dequant(quant(x)) - x)^2 / sum x^2). The bounds are derived, not measured:
 * uniform rounding with step D has RMS error D / sqrt(12); for N(0, 1) data the expected largest magnitude in a
 * group of 16 / 32 / 256 is about 2.1 / 2.4 / 3.0 and the expected range of 16 / 32 values about 3.5 / 4.1. So:
 * <pre>
 * format  step D                        D/sqrt(12)   bound (about 25% margin)
 * Q8_0    2.4 / 127                     0.0055       0.007
 * Q8_K    3.0 / 127                     0.0068       0.009
 * Q6_K    2.1 / 32 (groups of 16)       0.019        0.025
 * Q5_0    2.4 / 16                      0.043        0.055
 * Q5_1    4.1 / 31                      0.038        0.05
 * Q5_K    like Q5_1 (fitted min/scale)  0.038        0.05
 * Q4_0    2.4 / 8                       0.087        0.11
 * Q4_1    4.1 / 15                      0.079        0.10
 * Q4_K    like Q4_1 (fitted min/scale)  0.079        0.10
 * Q3_K    2.1 / 4 (groups of 16)        0.15         0.19
 * Q2_K    3.5 / 3 (groups of 16)        0.34         0.42
 * F16     per element |err| <= 2^-11 |x| (normal range)      4.9e-4
 * BF16    per element |err| <= 2^-8 |x|                      3.9e-3
 * F32     exact                                              0
 * </pre>
 * The bounds must hold at every scale where the fp16 block scales stay representable (1e-2 to 1e4 here).
 */
class ErrorBoundsTest {
    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of(GgmlType.F32, 0.0),
                Arguments.of(GgmlType.F16, 0x1p-11),
                Arguments.of(GgmlType.BF16, 0x1p-8),
                Arguments.of(GgmlType.Q8_0, 0.007),
                Arguments.of(GgmlType.Q8_K, 0.009),
                Arguments.of(GgmlType.Q6_K, 0.025),
                Arguments.of(GgmlType.Q5_0, 0.055),
                Arguments.of(GgmlType.Q5_1, 0.05),
                Arguments.of(GgmlType.Q5_K, 0.05),
                Arguments.of(GgmlType.Q4_0, 0.11),
                Arguments.of(GgmlType.Q4_1, 0.10),
                Arguments.of(GgmlType.Q4_K, 0.10),
                Arguments.of(GgmlType.Q3_K, 0.19),
                Arguments.of(GgmlType.Q2_K, 0.42));
    }

    static float[] roundTrip(GgmlType t, float[] x) {
        MemorySegment q = MemorySegment.ofArray(new byte[(int) t.bytesFor(x.length)]);
        Quants.quantizer(t).quantize(x, 0, x.length, q, 0);
        return Quants.dequantizeAll(q, t, x.length);
    }

    @ParameterizedTest(name = "{0} <= {1}")
    @MethodSource("bounds")
    void gaussianRowsStayWithinTheRelativeRmsBound(GgmlType t, double bound) {
        for (double scale : new double[]{1e-2, 1, 1e4}) {
            float[] x = Blocks.gaussian(42, 1 << 16, scale);
            double err = Blocks.relRms(x, roundTrip(t, x), 0, x.length);
            System.out.printf(Locale.ROOT, "relative RMS error %-5s scale %-7s %.5f (bound %.5f)%n", t, scale, err, bound);
            assertTrue(err <= bound, t + " at scale " + scale + ": relative RMS error " + err + " > " + bound);
        }
    }

    /**
     * Per-element worst-case bounds for the legacy formats, from their encoders: d is the unrounded scale, the
     * stored fp16 scale is within 2^-11 |d| of it, and a level q contributes q * that difference.
     * <ul>
     *   <li>Q8_0: d = amax/127, |err| <= d/2 + 127 * 2^-11 d</li>
     *   <li>Q4_0 / Q5_0: |d| = amax/8 or amax/16; the side opposite the extreme clamps one level short, so
     *       |err| <= |d| + (8 or 16) * 2^-11 |d|</li>
     *   <li>Q4_1 / Q5_1: d = range/15 or /31, |err| <= d/2 + (15 or 31) * 2^-11 d + 2^-11 |min| (fp16 minimum)</li>
     * </ul>
     * A 1e-6 relative slack covers float rounding of the arithmetic itself.
     */
    @Test
    void legacyFormatsMeetTheirPerElementBound() {
        float[] x = Blocks.gaussian(7, 1 << 14, 3.0);
        for (GgmlType t : new GgmlType[]{GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q5_0, GgmlType.Q4_1, GgmlType.Q5_1}) {
            float[] y = roundTrip(t, x);
            for (int b = 0; b < x.length; b += 32) {
                float amax = 0, min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
                for (int i = b; i < b + 32; i++) {
                    amax = Math.max(amax, Math.abs(x[i]));
                    min = Math.min(min, x[i]);
                    max = Math.max(max, x[i]);
                }
                double bound = switch (t) {
                    case Q8_0 -> amax / 127.0 * (0.5 + 127 * 0x1p-11);
                    case Q4_0 -> amax / 8.0 * (1 + 8 * 0x1p-11);
                    case Q5_0 -> amax / 16.0 * (1 + 16 * 0x1p-11);
                    case Q4_1 -> (max - min) / 15.0 * (0.5 + 15 * 0x1p-11) + 0x1p-11 * Math.abs(min);
                    case Q5_1 -> (max - min) / 31.0 * (0.5 + 31 * 0x1p-11) + 0x1p-11 * Math.abs(min);
                    default -> throw new AssertionError(t);
                };
                bound = bound * (1 + 1e-6) + 1e-6 * amax;
                for (int i = b; i < b + 32; i++) {
                    double err = Math.abs((double) y[i] - x[i]);
                    assertTrue(err <= bound, t + " element " + i + ": |error| " + err + " > " + bound);
                }
            }
        }
    }

    @Test
    void halfFloatsMeetTheirPerElementRelativeBound() {
        float[] x = Blocks.gaussian(8, 1 << 14, 100.0);
        float[] f16 = roundTrip(GgmlType.F16, x);
        float[] bf16 = roundTrip(GgmlType.BF16, x);
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) < 0x1p-14f) continue; // below F16's normal range the error is absolute (2^-25)
            assertTrue(Math.abs(f16[i] - x[i]) <= 0x1p-11 * Math.abs(x[i]), "F16 element " + i);
            assertTrue(Math.abs(bf16[i] - x[i]) <= 0x1p-8 * Math.abs(x[i]), "BF16 element " + i);
        }
    }
}
