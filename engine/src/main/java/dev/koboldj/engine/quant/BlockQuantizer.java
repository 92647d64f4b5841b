package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A block format that can also be written: subclasses encode one block from {@code blockSize} floats. */
abstract class BlockQuantizer extends BlockCodec implements Quantizer {
    BlockQuantizer(GgmlType type) {
        super(type);
    }

    /** Encodes {@code x[xOffset .. xOffset + blockSize)} into the block at byte {@code offset}. */
    abstract void encodeBlock(float[] x, int xOffset, MemorySegment dst, long offset);

    @Override
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
        int blocks = blocks(count);
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        for (int b = 0; b < blocks; b++) {
            encodeBlock(src, srcOffset + b * blockSize, dst, dstOffset + (long) b * blockBytes);
        }
    }
}
