package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.QuantCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Decodes whole rows of a weight straight from its mapped GGUF bytes into floats, for the matmul kernels. F32, F16,
 * Q8_0 and Q4_0 have fast paths (a bulk copy out of the mapping, then vector conversions); every other format goes
 * through its codec. Every path gives exactly the floats of {@link QuantCodec#dequantize}.
 */
abstract sealed class RowDecoder {
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Decodes rows [row, row + count) of {@code k} elements into {@code dst[off + i*k ..]}; rows are {@code rowBytes} apart. */
    abstract void decode(MemorySegment data, long rowBytes, int row, int count, int k, float[] dst, int off, CpuScratch s);

    /** The little-endian fp16 scale at {@code b[o]} that starts a Q8_0 or Q4_0 block. */
    static float scale(byte[] b, int o) {
        return Float.float16ToFloat((short) ((b[o] & 0xFF) | (b[o + 1] << 8)));
    }

    /** Q4_0's low nibbles (the first 16 weights of a block) as signed values, {@code nibble - 8}. */
    static ByteVector lowNibbles(ByteVector q) {
        return q.and((byte) 0xF).sub((byte) 8);
    }

    /**
     * Q4_0's high nibbles (the last 16 weights of a block) as {@code 16 * (nibble - 8)}: the nibble in place with its
     * top bit flipped, two plain byte ops where shifting bytes takes x86 several (the Q4_0 expansion: 4% faster). Times
     * {@code d / 16} this is exactly {@code (nibble - 8) * d}: d / 16 only lowers the exponent of an fp16 scale, so
     * both products are the same real number, rounded once.
     */
    static ByteVector highNibbles16(ByteVector q) {
        return q.and((byte) 0xF0).lanewise(VectorOperators.XOR, (byte) 0x80);
    }

    static RowDecoder of(GgmlType type, QuantCodec codec) {
        return switch (type) {
            case F32 -> new F32();
            case F16 -> new F16();
            case Q8_0 -> new Q8_0();
            case Q4_0 -> new Q4_0();
            default -> new ViaCodec(codec);
        };
    }

    /** F32: the rows are the floats. */
    static final class F32 extends RowDecoder {
        @Override
        void decode(MemorySegment data, long rowBytes, int row, int count, int k, float[] dst, int off, CpuScratch s) {
            MemorySegment.copy(data, LE_FLOAT, row * rowBytes, dst, off, count * k);
        }
    }

    /** F16: IEEE halves, converted by a loop C2 turns into vcvtph2ps. */
    static final class F16 extends RowDecoder {
        @Override
        void decode(MemorySegment data, long rowBytes, int row, int count, int k, float[] dst, int off, CpuScratch s) {
            int n = count * k;
            short[] h = s.halves(n);
            MemorySegment.copy(data, LE_SHORT, row * rowBytes, h, 0, n);
            for (int i = 0; i < n; i++) dst[off + i] = Float.float16ToFloat(h[i]);
        }
    }

    /** Q8_0 blocks of 34 bytes: fp16 scale d, then 32 signed bytes q; weight = q * d. */
    static final class Q8_0 extends RowDecoder {
        @Override
        void decode(MemorySegment data, long rowBytes, int row, int count, int k, float[] dst, int off, CpuScratch s) {
            int bytes = (int) (count * rowBytes);
            byte[] b = s.bytes(bytes);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, row * rowBytes, b, 0, bytes);
            int blocks = count * (k / 32);
            for (int blk = 0; blk < blocks; blk++) block(b, blk * 34, dst, off + blk * 32);
        }

        private static void block(byte[] b, int o, float[] dst, int d0) {
            float d = scale(b, o);
            if (Simd.BYTE_VECTORS) {
                for (int j = 0; j < 32; j += Simd.LANES) Simd.widen(ByteVector.fromArray(Simd.BYTES, b, o + 2 + j)).mul(d).intoArray(dst, d0 + j);
            } else {
                for (int j = 0; j < 32; j++) dst[d0 + j] = b[o + 2 + j] * d;
            }
        }
    }

    /** Q4_0 blocks of 18 bytes: fp16 scale d, then 16 bytes holding weight j (low nibble) and j + 16 (high); weight = (nibble - 8) * d. */
    static final class Q4_0 extends RowDecoder {
        @Override
        void decode(MemorySegment data, long rowBytes, int row, int count, int k, float[] dst, int off, CpuScratch s) {
            int bytes = (int) (count * rowBytes);
            byte[] b = s.bytes(bytes);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, row * rowBytes, b, 0, bytes);
            int blocks = count * (k / 32);
            for (int blk = 0; blk < blocks; blk++) block(b, blk * 18, dst, off + blk * 32);
        }

        private static void block(byte[] b, int o, float[] dst, int d0) {
            float d = scale(b, o);
            if (Simd.BYTE_VECTORS) {
                for (int j = 0; j < 16; j += Simd.LANES) {
                    ByteVector q = ByteVector.fromArray(Simd.BYTES, b, o + 2 + j);
                    Simd.widen(lowNibbles(q)).mul(d).intoArray(dst, d0 + j);
                    Simd.widen(highNibbles16(q)).mul(d * 0.0625f).intoArray(dst, d0 + 16 + j);
                }
            } else {
                for (int j = 0; j < 16; j++) {
                    int q = b[o + 2 + j] & 0xFF;
                    dst[d0 + j] = ((q & 0xF) - 8) * d;
                    dst[d0 + j + 16] = ((q >>> 4) - 8) * d;
                }
            }
        }
    }

    /** Any other format: its codec, one row at a time. */
    static final class ViaCodec extends RowDecoder {
        private final QuantCodec codec;

        ViaCodec(QuantCodec codec) {
            this.codec = codec;
        }

        @Override
        void decode(MemorySegment data, long rowBytes, int row, int count, int k, float[] dst, int off, CpuScratch s) {
            for (int i = 0; i < count; i++) codec.dequantize(data, (row + i) * rowBytes, dst, off + i * k, k);
        }
    }
}
