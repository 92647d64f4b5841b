package dev.koboldj.bench.kernels;

import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Seeded random weights in a GGUF encoding, in native memory (what a mapped file gives the backend). Values are
 * well-scaled normals; quantized blocks get an fp16 scale from the block's largest magnitude, as the reference
 * quantizers do, so no denormals or NaNs slow a benchmark down.
 */
public final class SyntheticWeights {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SyntheticWeights() {
    }

    /** N rows of K weights of {@code type} (F32, F16, Q8_0 or Q4_0). */
    public static WeightTensor matrix(String name, GgmlType type, int k, int n, long seed) {
        float[] values = floats((long) k * n, seed, 0.05f);
        MemorySegment seg = Arena.ofAuto().allocate(type.bytesFor((long) k * n), 64);
        switch (type) {
            case F32 -> MemorySegment.copy(values, 0, seg, F32, 0, values.length);
            case F16 -> {
                for (int i = 0; i < values.length; i++) seg.set(F16, 2L * i, Float.floatToFloat16(values[i]));
            }
            case Q8_0 -> {
                for (int b = 0; b < values.length / 32; b++) {
                    long o = 34L * b;
                    float amax = 0;
                    for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[b * 32 + j]));
                    float d = amax / 127, id = d == 0 ? 0 : 1 / d;
                    seg.set(F16, o, Float.floatToFloat16(d));
                    for (int j = 0; j < 32; j++) seg.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) Math.round(values[b * 32 + j] * id));
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < values.length / 32; b++) {
                    long o = 18L * b;
                    float amax = 0, max = 0;
                    for (int j = 0; j < 32; j++) {
                        float v = values[b * 32 + j];
                        if (Math.abs(v) > amax) {
                            amax = Math.abs(v);
                            max = v;
                        }
                    }
                    float d = max / -8, id = d == 0 ? 0 : 1 / d;
                    seg.set(F16, o, Float.floatToFloat16(d));
                    for (int j = 0; j < 16; j++) {
                        int q0 = Math.min(15, (int) (values[b * 32 + j] * id + 8.5f));
                        int q1 = Math.min(15, (int) (values[b * 32 + 16 + j] * id + 8.5f));
                        seg.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) (q0 | (q1 << 4)));
                    }
                }
            }
            default -> throw new IllegalArgumentException("no synthetic encoder for " + type);
        }
        return new WeightTensor(name, type, new long[]{k, n}, seg);
    }

    /** A vector (bias, norm weight) in F32. */
    public static WeightTensor vector(String name, int n, long seed, float scale) {
        float[] values = floats(n, seed, scale);
        MemorySegment seg = Arena.ofAuto().allocate(4L * n, 64);
        MemorySegment.copy(values, 0, seg, F32, 0, n);
        return new WeightTensor(name, GgmlType.F32, new long[]{n}, seg);
    }

    public static float[] floats(long count, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(r) * scale);
        return v;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }
}
