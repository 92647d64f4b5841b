package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.Quants;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Weights for the CPU kernel tests: seeded values encoded by the format's quantizer, placed at an odd byte offset
 * inside a larger segment (an unaligned tensor in a mapped file), and decoded back by the format's codec.
 */
final class TestWeights {
    /** Every format koboldj can both write and compute with. */
    static final GgmlType[] FORMATS = Arrays.stream(GgmlType.values()).filter(t -> Quants.canCompute(t) && Quants.canQuantize(t)).toArray(GgmlType[]::new);
    /** The formats with a fast row decoder. */
    static final GgmlType[] FAST = {GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0};

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
        MemorySegment seg = Arena.ofAuto().allocate(bytes + offset + 7).asSlice(offset, bytes);
        Quants.quantizer(type).quantize(v, 0, v.length, seg, 0);
        return new WeightTensor("w", type, new long[]{k, n}, seg);
    }

    /** A vector of n F32 values. */
    static WeightTensor vector(int n, long seed, float scale) {
        float[] v = floats(n, seed, scale);
        MemorySegment seg = Arena.ofAuto().allocate(4L * n + 5).asSlice(1, 4L * n);
        Quants.quantizer(GgmlType.F32).quantize(v, 0, n, seg, 0);
        return new WeightTensor("v", GgmlType.F32, new long[]{n}, seg);
    }

    /** The whole tensor decoded by its codec. */
    static float[] decode(WeightTensor w) {
        return Quants.dequantizeAll(w.data(), w.type(), (long) w.rows() * w.cols());
    }

    /** A row length that fits {@code type}'s blocks: {@code blocks} blocks, or an odd count for plain element types. */
    static int cols(GgmlType type, int blocks, int odd) {
        return type.blockSize == 1 ? odd : blocks * type.blockSize;
    }
}
