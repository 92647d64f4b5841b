package dev.koboldj.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantsTest {
    private static final Set<GgmlType> COMPUTABLE = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q8_K);

    @Test
    void registryCoversExactlyTheImplementedFormats() {
        for (GgmlType t : GgmlType.values()) {
            assertEquals(COMPUTABLE.contains(t), Quants.canCompute(t), t.name());
            assertEquals(COMPUTABLE.contains(t), Quants.canQuantize(t), t.name());
            if (COMPUTABLE.contains(t)) {
                assertSame(t, Quants.codec(t).type());
                assertSame(Quants.codec(t), Quants.quantizer(t));
            }
        }
    }

    @Test
    void unsupportedTypesNameThemselvesAndTheSupportedOnes() {
        var e = assertThrows(UnsupportedTensorTypeException.class, () -> Quants.codec(GgmlType.IQ2_XXS));
        assertSame(GgmlType.IQ2_XXS, e.type());
        assertTrue(e.getMessage().startsWith("tensor type IQ2_XXS cannot be computed by koboldj yet (supported: F32, F16, "), e.getMessage());
        assertTrue(e.getMessage().contains("Q4_K"), e.getMessage());
        for (GgmlType t : new GgmlType[]{GgmlType.TQ1_0, GgmlType.MXFP4, GgmlType.Q8_1, GgmlType.I32, GgmlType.F64}) {
            assertFalse(Quants.canCompute(t));
            assertThrows(UnsupportedTensorTypeException.class, () -> Quants.codec(t));
            var w = assertThrows(UnsupportedTensorTypeException.class, () -> Quants.quantizer(t));
            assertTrue(w.getMessage().contains(t.name() + " cannot be written by koboldj"), w.getMessage());
        }
    }

    @Test
    void dequantizeAllDecodesFromTheSegmentStart() {
        // Two Q8_0 blocks: d = 1 and d = 0.5, qs[0] = 3 in each -> 3 and 1.5.
        byte[] b = new byte[68];
        b[1] = 0x3C;
        b[2] = 3;
        b[35] = 0x38;
        b[36] = 3;
        float[] y = Quants.dequantizeAll(MemorySegment.ofArray(b), GgmlType.Q8_0, 64);
        assertEquals(64, y.length);
        assertEquals(3f, y[0]);
        assertEquals(1.5f, y[32]);
        assertThrows(IllegalArgumentException.class, () -> Quants.dequantizeAll(MemorySegment.ofArray(b), GgmlType.Q8_0, 48));
    }
}
