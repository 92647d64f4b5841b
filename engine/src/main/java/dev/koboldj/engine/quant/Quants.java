package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Codec registry (provisional: F32 and F16 only until the codec set lands). */
public final class Quants {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Quants() {
    }

    public static QuantCodec codec(GgmlType t) {
        return switch (t) {
            case F32 -> new QuantCodec() {
                public GgmlType type() { return GgmlType.F32; }
                public void dequantize(MemorySegment s, long o, float[] d, int off, int n) { MemorySegment.copy(s, F32, o, d, off, n); }
                public float dot(MemorySegment s, long o, float[] x, int xo, int n) { float a = 0; for (int i = 0; i < n; i++) a += s.get(F32, o + 4L * i) * x[xo + i]; return a; }
            };
            case F16 -> new QuantCodec() {
                public GgmlType type() { return GgmlType.F16; }
                public void dequantize(MemorySegment s, long o, float[] d, int off, int n) { for (int i = 0; i < n; i++) d[off + i] = Float.float16ToFloat(s.get(F16, o + 2L * i)); }
                public float dot(MemorySegment s, long o, float[] x, int xo, int n) { float a = 0; for (int i = 0; i < n; i++) a += Float.float16ToFloat(s.get(F16, o + 2L * i)) * x[xo + i]; return a; }
            };
            default -> throw new IllegalArgumentException("tensor type " + t + " cannot be computed yet");
        };
    }
}
