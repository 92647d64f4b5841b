package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Seeded random activations and weights in every GGUF format the Vulkan shaders decode. */
final class TestData {
    private TestData() {
    }

    static float[] gaussian(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (scale * r.nextGaussian());
        return a;
    }

    static WeightTensor vector(String name, float[] v) {
        return new WeightTensor(name, GgmlType.F32, new long[] {v.length}, MemorySegment.ofArray(v.clone()));
    }

    /**
     * A matrix of {@code rows} rows of {@code cols} in format {@code t}. Float formats hold Gaussian values; block
     * formats hold random bytes (every bit pattern of the quantised fields is valid) with their half-float scales
     * set to small finite values, so every decoding path is exercised.
     */
    static WeightTensor matrix(String name, GgmlType t, int rows, int cols, Random r) {
        long bytes = t.bytesFor((long) rows * cols);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        switch (t) {
            case F32 -> { for (int i = 0; i < rows * cols; i++) b.putFloat((float) (0.1 * r.nextGaussian())); }
            case F16 -> { for (int i = 0; i < rows * cols; i++) b.putShort(Float.floatToFloat16((float) (0.1 * r.nextGaussian()))); }
            case BF16 -> { for (int i = 0; i < rows * cols; i++) b.putShort((short) (Float.floatToRawIntBits((float) (0.1 * r.nextGaussian())) >>> 16)); }
            default -> {
                r.nextBytes(b.array());
                int[] halfs = halfFloatFields(t);
                for (long block = 0; block < bytes / t.blockBytes; block++) {
                    for (int i = 0; i < halfs.length; i++) {
                        // Scales positive; Q4_1/Q5_1 mins (second field) of either sign.
                        double v = (0.002 + 0.01 * r.nextDouble()) * (i == 1 && (t == GgmlType.Q4_1 || t == GgmlType.Q5_1) && r.nextBoolean() ? -1 : 1);
                        b.putShort((int) (block * t.blockBytes + halfs[i]), Float.floatToFloat16((float) v));
                    }
                }
            }
        }
        return new WeightTensor(name, t, new long[] {cols, rows}, MemorySegment.ofArray(b.array()));
    }

    /** Byte offsets of the half-float fields (d, then dmin or m) inside one block of {@code t}. */
    static int[] halfFloatFields(GgmlType t) {
        return switch (t) {
            case Q8_0, Q4_0, Q5_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    /** A row length for {@code t}: {@code blocks} whole blocks, or {@code odd} for float formats. */
    static int cols(GgmlType t, int blocks, int odd) {
        return t.blockSize == 1 ? odd : blocks * t.blockSize;
    }
}
