package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A block format: subclasses decode one block; the loops over blocks and the reference dot product live here. */
abstract class BlockCodec implements QuantCodec {
    final GgmlType type;
    final int blockSize;
    final int blockBytes;

    BlockCodec(GgmlType type) {
        this.type = type;
        this.blockSize = type.blockSize;
        this.blockBytes = type.blockBytes;
    }

    /** Decodes the block at byte {@code offset} into {@code y[yOffset .. yOffset + blockSize)}. */
    abstract void decodeBlock(MemorySegment src, long offset, float[] y, int yOffset);

    @Override
    public final GgmlType type() {
        return type;
    }

    @Override
    public void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        int blocks = blocks(count);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        for (int b = 0; b < blocks; b++) {
            decodeBlock(src, srcOffset + (long) b * blockBytes, dst, dstOffset + b * blockSize);
        }
    }

    @Override
    public float dot(MemorySegment src, long srcOffset, float[] x, int xOffset, int count) {
        int blocks = blocks(count);
        Objects.checkFromIndexSize(xOffset, count, x.length);
        float[] w = new float[blockSize];
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            decodeBlock(src, srcOffset + (long) b * blockBytes, w, 0);
            int base = xOffset + b * blockSize;
            for (int i = 0; i < blockSize; i++) sum += (double) w[i] * x[base + i];
        }
        return (float) sum;
    }

    /** The number of blocks in {@code count} elements; rejects counts that are not whole blocks. */
    final int blocks(int count) {
        if (count < 0 || count % blockSize != 0) {
            throw new IllegalArgumentException(count + " elements is not a whole number of " + type + " blocks of " + blockSize);
        }
        return count / blockSize;
    }

    @Override
    public String toString() {
        return type + " codec";
    }
}
