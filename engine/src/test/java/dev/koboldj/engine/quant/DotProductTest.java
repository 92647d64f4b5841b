package dev.koboldj.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link QuantCodec#dot} against dequantize-then-dot, at unaligned byte offsets and non-zero x offsets. */
class DotProductTest {
    static List<GgmlType> computableTypes() {
        return Arrays.stream(GgmlType.values()).filter(Quants::canCompute).toList();
    }

    @ParameterizedTest
    @MethodSource("computableTypes")
    void dotEqualsDequantizeThenDot(GgmlType t) {
        int n = 1024, skipBlocks = 2, prefix = 3; // 3 bytes of padding make every field access unaligned
        float[] w = Blocks.gaussian(21, n, 1.0);
        float[] x = Blocks.gaussian(22, n + 5, 1.0);
        MemorySegment seg = MemorySegment.ofArray(new byte[prefix + (int) t.bytesFor(n)]);
        Quants.quantizer(t).quantize(w, 0, n, seg, prefix);
        QuantCodec codec = Quants.codec(t);

        long offset = prefix + (long) skipBlocks * t.blockBytes;
        int count = n - skipBlocks * t.blockSize - t.blockSize;
        float[] decoded = new float[count];
        codec.dequantize(seg, offset, decoded, 0, count);
        double expected = 0;
        for (int i = 0; i < count; i++) expected += (double) decoded[i] * x[5 + i];

        assertEquals((float) expected, codec.dot(seg, offset, x, 5, count), 0f, t + " dot");
        assertEquals(0f, codec.dot(seg, offset, x, 0, 0), 0f);
    }

    /**
     * Cauchy-Schwarz: |dot(q, x) - w.x| = |(dequant(q) - w).x| <= ||dequant(q) - w|| ||x|| = relRms * ||w|| ||x||,
     * so with the format's RMS bound from {@link ErrorBoundsTest} the quantized dot product is that close to the exact one.
     */
    @ParameterizedTest
    @MethodSource("computableTypes")
    void dotIsCloseToTheFloatDot(GgmlType t) {
        int n = 4096;
        float[] w = Blocks.gaussian(23, n, 1.0);
        float[] x = Blocks.gaussian(24, n, 1.0);
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) t.bytesFor(n)]);
        Quants.quantizer(t).quantize(w, 0, n, seg, 0);
        double exact = 0, ww = 0, xx = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) w[i] * x[i];
            ww += (double) w[i] * w[i];
            xx += (double) x[i] * x[i];
        }
        double bound = ErrorBoundsTest.bounds().filter(a -> a.get()[0] == t).map(a -> (Double) a.get()[1]).findFirst().orElseThrow();
        double diff = Math.abs(Quants.codec(t).dot(seg, 0, x, 0, n) - exact);
        assertTrue(diff <= bound * Math.sqrt(ww * xx) + 1e-3, t + ": |dot - exact| = " + diff);
    }

    /** Block formats: plain element types (F32, F16, BF16) have no partial blocks. */
    static List<GgmlType> blockTypes() {
        return computableTypes().stream().filter(t -> t.blockSize > 1).toList();
    }

    @ParameterizedTest
    @MethodSource("blockTypes")
    void partialBlocksAreRejected(GgmlType t) {
        MemorySegment seg = MemorySegment.ofArray(new byte[t.blockBytes]);
        QuantCodec codec = Quants.codec(t);
        assertThrows(IllegalArgumentException.class, () -> codec.dot(seg, 0, new float[t.blockSize], 0, t.blockSize - 1));
        assertThrows(IllegalArgumentException.class, () -> codec.dequantize(seg, 0, new float[t.blockSize], 0, t.blockSize + 1));
    }
}
