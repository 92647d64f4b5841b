package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.QuantCodec;
import dev.koboldj.engine.quant.Quants;
import java.lang.foreign.MemorySegment;

/** A weight on the CPU: the mapped GGUF bytes themselves (zero copy), decoded row by row by its format's codec. */
final class CpuWeights implements DeviceWeights {
    final WeightTensor tensor;
    final MemorySegment data;
    final QuantCodec codec;
    final int rows;
    final int cols;
    final long rowBytes;
    final RowDecoder decoder;

    CpuWeights(WeightTensor tensor) {
        this.tensor = tensor;
        this.data = tensor.data();
        this.codec = Quants.codec(tensor.type());
        this.rows = tensor.rows();
        this.cols = tensor.cols();
        this.rowBytes = tensor.type().bytesFor(cols);
        this.decoder = RowDecoder.of(tensor.type(), codec);
    }

    /** Decodes row {@code r} into {@code dst[off..off+cols)}. */
    void row(int r, float[] dst, int off) {
        codec.dequantize(data, r * rowBytes, dst, off, cols);
    }

    private volatile float[] decoded;

    /** The whole weight decoded once and kept (for vectors: biases and norms). */
    float[] vector() {
        float[] d = decoded;
        if (d == null) {
            d = new float[Math.multiplyExact(rows, cols)];
            for (int r = 0; r < rows; r++) row(r, d, r * cols);
            decoded = d;
        }
        return d;
    }

    private volatile float[] padded;

    /** {@link #vector()} followed by zeros up to {@code length} elements (a bias read panel by panel). */
    float[] paddedVector(int length) {
        float[] p = padded;
        if (p == null || p.length < length) {
            float[] v = vector();
            p = java.util.Arrays.copyOf(v, Math.max(length, v.length));
            padded = p;
        }
        return p;
    }

    @Override
    public String name() {
        return tensor.name();
    }

    @Override
    public GgmlType type() {
        return tensor.type();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public long bytes() {
        return data.byteSize();
    }

    static CpuWeights of(DeviceWeights w, String role) {
        if (w instanceof CpuWeights c) return c;
        throw new IllegalArgumentException(role + " was not uploaded to the CPU backend");
    }
}
