package dev.koboldj.engine.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-check against llama.cpp itself (see {@link GgmlNative}): for every format koboldj writes, our encoder must
 * produce the same bytes as ggml's reference quantizer on the same floats, and our decoder must produce the same
 * floats as ggml's dequantizer on those bytes. Skipped, with the reason printed, where the library cannot be loaded.
 */
class LlamaCppOracleTest {
    private static GgmlNative ggml;

    @BeforeAll
    static void loadLlamaCpp() {
        ggml = GgmlNative.load();
        if (ggml == null) System.out.println("LlamaCppOracleTest skipped: " + GgmlNative.whyUnavailable());
        Assumptions.assumeTrue(ggml != null, GgmlNative::whyUnavailable);
    }

    static List<GgmlType> writableTypes() {
        List<GgmlType> types = new ArrayList<>();
        for (GgmlType t : GgmlType.values()) if (Quants.canQuantize(t) && t != GgmlType.F32) types.add(t);
        return types;
    }

    /** Rows that exercise the encoders' branches: 4096 floats each, a multiple of every block size. */
    static List<float[]> rows(GgmlType t) {
        int n = 4096;
        List<float[]> rows = new ArrayList<>();
        rows.add(Blocks.gaussian(1, n, 1.0));
        rows.add(Blocks.gaussian(2, n, 1e-3));
        rows.add(Blocks.gaussian(3, n, 1e3));
        Random r = new Random(4);
        float[] positive = new float[n];                  // all >= 0: the K-quant minimum clamps to 0
        for (int i = 0; i < n; i++) positive[i] = r.nextFloat() * 3;
        rows.add(positive);
        float[] mixed = Blocks.gaussian(5, n, 1.0);       // per-block magnitudes spread over 12 decades, outliers, zeros
        for (int i = 0; i < n; i++) {
            mixed[i] *= (float) Math.pow(10, (i / 32) % 13 - 8);
            if (i % 97 == 0) mixed[i] *= 50;
            if ((i / 256) % 5 == 4) mixed[i] = 0;
        }
        rows.add(mixed);
        float[] steps = new float[n];                     // halves and constant runs: rounding ties
        for (int i = 0; i < n; i++) steps[i] = (i / 64) % 3 == 0 ? 0.75f : ((i * 7) % 31 - 15) * 0.5f;
        rows.add(steps);
        if (t != GgmlType.F16 && t != GgmlType.BF16) return rows; // the edge floats below overflow block scales
        float[] special = Blocks.gaussian(6, n, 1.0);     // fp16 / bf16 edge values
        float[] edges = {65504f, 65520f, -65536f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 1e-30f, -0f, Float.MIN_VALUE, 0x1p-130f, -0x1.7p-133f,
                Float.MAX_VALUE, 1 + 0x1p-11f, 1 + 0x3p-11f, 1 + 0x1p-8f, 1 + 0x3p-8f};
        System.arraycopy(edges, 0, special, 0, edges.length);
        rows.add(special);
        return rows;
    }

    @ParameterizedTest
    @MethodSource("writableTypes")
    void encodesTheSameBytesAsLlamaCpp(GgmlType t) {
        int row = 0;
        for (float[] x : rows(t)) {
            byte[] expected = ggml.quantize(t, x);
            MemorySegment ours = MemorySegment.ofArray(new byte[expected.length]);
            Quants.quantizer(t).quantize(x, 0, x.length, ours, 0);
            byte[] actual = ours.toArray(ValueLayout.JAVA_BYTE);
            for (int b = 0; b < expected.length; b += t.blockBytes) {
                for (int i = b; i < b + t.blockBytes; i++) {
                    if (expected[i] != actual[i]) {
                        fail(t + " row " + row + ": block " + b / t.blockBytes + " differs from llama.cpp at byte " + (i - b)
                                + " (llama.cpp " + (expected[i] & 0xFF) + ", koboldj " + (actual[i] & 0xFF) + ")");
                    }
                }
            }
            row++;
        }
    }

    @ParameterizedTest
    @MethodSource("writableTypes")
    void decodesLikeLlamaCpp(GgmlType t) {
        for (float[] x : rows(t)) {
            byte[] encoded = ggml.quantize(t, x);
            float[] expected = ggml.dequantize(t, encoded, x.length);
            float[] actual = Quants.dequantizeAll(MemorySegment.ofArray(encoded), t, x.length);
            assertArrayEquals(expected, actual, t + " decoding differs from llama.cpp");
        }
    }
}
