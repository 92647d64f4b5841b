package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.ErrorBoundsTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Determinism, block independence, idempotence, and hand-worked encodings and float16 rounding. */
class EncodingPropertiesTest {
    static List<GgmlType> writableTypes() {
        return EdgeCaseTest.writableTypes();
    }

    private static byte[] encode(GgmlType t, float[] x, int from, int count) {
        MemorySegment q = MemorySegment.ofArray(new byte[(int) t.bytesFor(count)]);
        Quants.quantizer(t).quantize(x, from, count, q, 0);
        return q.toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @MethodSource("writableTypes")
    void encodingIsDeterministicAndBlockLocal(GgmlType t) {
        float[] x = Blocks.gaussian(31, 2048, 2.0);
        byte[] whole = encode(t, x, 0, x.length);
        assertArrayEquals(whole, encode(t, x.clone(), 0, x.length), t + " is not deterministic");
        // Encoding block by block (what streaming does) gives the same bytes as encoding the row at once.
        for (int b = 0; b < x.length / t.blockSize; b++) {
            byte[] one = encode(t, x, b * t.blockSize, t.blockSize);
            for (int i = 0; i < t.blockBytes; i++) assertEquals(whole[b * t.blockBytes + i], one[i], t + " block " + b + " byte " + i);
        }
    }

    /**
     * Q8_0, Q4_0 and Q5_0 are fixed points of quantize(dequantize(.)): the extreme element decodes to exactly
     * -nmax * d16 (Q4_0/Q5_0, nmax 8/16) or 127 * d16 (Q8_0), so re-encoding recovers d16 exactly, and every
     * other element decodes to an exact multiple of d16 that rounds back to its own level.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q5_0"})
    void symmetricLegacyFormatsAreFixedPoints(GgmlType t) {
        float[] x = Blocks.gaussian(32, 4096, 1.0);
        byte[] q = encode(t, x, 0, x.length);
        float[] y = Quants.dequantizeAll(MemorySegment.ofArray(q), t, x.length);
        assertArrayEquals(q, encode(t, y, 0, y.length));
    }

    /** For every format, re-quantizing decoded values may not lose more than the first quantization did. */
    @ParameterizedTest
    @MethodSource("writableTypes")
    void requantizingAddsNoMoreErrorThanQuantizing(GgmlType t) {
        float[] x = Blocks.gaussian(33, 4096, 1.0);
        float[] y1 = roundTrip(t, x);
        float[] y2 = roundTrip(t, y1);
        double first = Blocks.relRms(x, y1, 0, x.length);
        double second = Blocks.relRms(y1, y2, 0, x.length);
        assertTrue(second <= first, t + ": second generation error " + second + " > first " + first);
    }

    @Test
    void q8_0UsesRoundHalfAwayFromZero() {
        // amax = 127 -> d = 1 (fp16 0x3C00), id = 1; roundf: 0.5 -> 1, -63.5 -> -64, 2.5 -> 3, -0.49999997 -> 0.
        float[] x = new float[32];
        x[0] = 127f;
        x[1] = 0.5f;
        x[2] = -63.5f;
        x[3] = 2.5f;
        x[4] = -0.49999997f;
        byte[] q = encode(GgmlType.Q8_0, x, 0, 32);
        assertEquals(0x00, q[0] & 0xFF);
        assertEquals(0x3C, q[1] & 0xFF);
        assertEquals(127, q[2]);
        assertEquals(1, q[3]);
        assertEquals(-64, q[4]);
        assertEquals(3, q[5]);
        assertEquals(0, q[6]);
    }

    @Test
    void q4_0WorkedExample() {
        // Largest magnitude is 8 -> d = 8 / -8 = -1 (fp16 0xBC00), id = -1. Nibble = min(15, trunc(x * id + 8.5)):
        // 8 -> 0.5 -> 0; 4 -> 4.5 -> 4; -7 -> 15.5 -> 15; 0 -> 8.5 -> 8. Weights 0..3 share bytes with weights 16..19.
        float[] x = new float[32];
        x[0] = 8f;
        x[1] = 4f;
        x[16] = -7f;
        byte[] q = encode(GgmlType.Q4_0, x, 0, 32);
        assertEquals(0x00, q[0] & 0xFF);
        assertEquals(0xBC, q[1] & 0xFF);
        assertEquals(0 | 15 << 4, q[2] & 0xFF);  // weight 0 and weight 16
        assertEquals(4 | 8 << 4, q[3] & 0xFF);   // weight 1 and weight 17
        assertEquals(8 | 8 << 4, q[4] & 0xFF);   // weight 2 and weight 18
    }

    @Test
    void f16RoundsToNearestEven() {
        assertEquals(0x3C00, HalfFloats.floatToF16(1 + 0x1p-11f) & 0xFFFF);      // tie between 0x3C00 and 0x3C01 -> even
        assertEquals(0x3C02, HalfFloats.floatToF16(1 + 0x3p-11f) & 0xFFFF);      // tie between 0x3C01 and 0x3C02 -> even
        assertEquals(0x3C01, HalfFloats.floatToF16(1 + 0x1.2p-11f) & 0xFFFF);    // just above the tie -> up
        assertEquals(0x7BFF, HalfFloats.floatToF16(65519f) & 0xFFFF);            // below the 65520 midpoint -> 65504
        assertEquals(0x7C00, HalfFloats.floatToF16(65520f) & 0xFFFF);            // midpoint to "65536" -> even = infinity
        assertEquals(0x0001, HalfFloats.floatToF16(0x1.8p-25f) & 0xFFFF);        // 1.5 x half the smallest subnormal -> 1
        assertEquals(0x0000, HalfFloats.floatToF16(0x1p-25f) & 0xFFFF);          // exactly half the smallest subnormal -> 0
        assertEquals(0x8000, HalfFloats.floatToF16(-0f) & 0xFFFF);
    }

    @Test
    void bf16RoundsLikeGgml() {
        assertEquals(0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000)) & 0xFFFF); // tie -> even (down)
        assertEquals(0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000)) & 0xFFFF); // tie -> even (up)
        assertEquals(0x3F81, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808001)) & 0xFFFF); // above the tie -> up
        assertEquals(0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xFFFF);                  // rounds up to infinity
        assertEquals(0x7FC0, HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F800001)) & 0xFFFF); // signalling NaN -> quiet
        assertEquals(0xFFC1, HalfFloats.floatToBf16(Float.intBitsToFloat(0xFFC10000)) & 0xFFFF); // NaN keeps sign and payload
        assertEquals(0x0001, HalfFloats.floatToBf16(Float.intBitsToFloat(0x00010000)) & 0xFFFF); // subnormals are kept
        assertEquals(0x8000, HalfFloats.floatToBf16(-0f) & 0xFFFF);
    }

    @Test
    void f32IsABitCopy() {
        float[] x = {1.5f, -0f, Float.MIN_VALUE, Float.NaN, Float.NEGATIVE_INFINITY};
        MemorySegment q = MemorySegment.ofArray(new byte[20]);
        Quants.quantizer(GgmlType.F32).quantize(x, 0, 5, q, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(Float.floatToRawIntBits(x[i]), q.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4L * i));
        }
    }
}
