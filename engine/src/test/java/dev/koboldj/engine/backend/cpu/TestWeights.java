package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Weights for the CPU kernel tests: seeded values encoded in a GGUF format, placed at an odd byte offset inside a
 * larger segment (as an unaligned tensor in a mapped file), and decoded back by a reference decoder written from
 * the block layouts.
 */
final class TestWeights {
    static final GgmlType[] FORMATS = {GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0};
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TestWeights() {
    }

    static float[] floats(int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }

    /** N rows of K values of {@code type}, starting {@code offset} bytes into a segment. */
    static WeightTensor matrix(GgmlType type, int k, int n, long seed, int offset) {
        float[] v = floats(k * n, seed, 1f);
        long bytes = type.bytesFor((long) k * n);
        MemorySegment all = Arena.ofAuto().allocate(bytes + offset + 7);
        MemorySegment seg = all.asSlice(offset, bytes);
        encode(type, v, seg);
        return new WeightTensor("w", type, new long[]{k, n}, seg);
    }

    static void encode(GgmlType type, float[] v, MemorySegment seg) {
        switch (type) {
            case F32 -> MemorySegment.copy(v, 0, seg, F32, 0, v.length);
            case F16 -> {
                for (int i = 0; i < v.length; i++) seg.set(F16, 2L * i, Float.floatToFloat16(v[i]));
            }
            case Q8_0 -> {
                for (int b = 0; b < v.length / 32; b++) {
                    float amax = 0;
                    for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(v[b * 32 + j]));
                    float d = amax / 127, id = d == 0 ? 0 : 1 / d;
                    seg.set(F16, 34L * b, Float.floatToFloat16(d));
                    for (int j = 0; j < 32; j++) seg.set(ValueLayout.JAVA_BYTE, 34L * b + 2 + j, (byte) Math.round(v[b * 32 + j] * id));
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < v.length / 32; b++) {
                    float amax = 0, max = 0;
                    for (int j = 0; j < 32; j++) {
                        if (Math.abs(v[b * 32 + j]) > amax) {
                            amax = Math.abs(v[b * 32 + j]);
                            max = v[b * 32 + j];
                        }
                    }
                    float d = max / -8, id = d == 0 ? 0 : 1 / d;
                    seg.set(F16, 18L * b, Float.floatToFloat16(d));
                    for (int j = 0; j < 16; j++) {
                        int q0 = Math.min(15, (int) (v[b * 32 + j] * id + 8.5f)), q1 = Math.min(15, (int) (v[b * 32 + 16 + j] * id + 8.5f));
                        seg.set(ValueLayout.JAVA_BYTE, 18L * b + 2 + j, (byte) (q0 | (q1 << 4)));
                    }
                }
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
    }

    /** Reference decoding of the whole tensor, element by element from the layout. */
    static float[] decode(WeightTensor w) {
        int count = w.rows() * w.cols();
        MemorySegment s = w.data();
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (w.type()) {
                case F32 -> s.get(F32, 4L * i);
                case F16 -> Float.float16ToFloat(s.get(F16, 2L * i));
                case Q8_0 -> s.get(ValueLayout.JAVA_BYTE, 34L * (i / 32) + 2 + i % 32) * Float.float16ToFloat(s.get(F16, 34L * (i / 32)));
                case Q4_0 -> {
                    int j = i % 32, q = s.get(ValueLayout.JAVA_BYTE, 18L * (i / 32) + 2 + j % 16) & 0xFF;
                    int nibble = j < 16 ? q & 0xF : q >>> 4;
                    yield (nibble - 8) * Float.float16ToFloat(s.get(F16, 18L * (i / 32)));
                }
                default -> throw new IllegalArgumentException(w.type().toString());
            };
        }
        return out;
    }
}
