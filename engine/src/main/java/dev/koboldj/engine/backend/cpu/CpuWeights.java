package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.QuantCodec;
import dev.koboldj.engine.quant.Quants;
import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;

/**
 * A weight on the CPU: the mapped GGUF bytes themselves (zero copy), decoded by its format's codec or a fast
 * {@link RowDecoder}. An F32 matrix is the one exception: on its first matmul it is packed into panels (see
 * {@link #panels}), a copy of its bytes that the backend's memory accounting includes.
 */
final class CpuWeights implements DeviceWeights {
    /** {@code -Dkoboldj.cpu.packF32=false} keeps F32 matrices unpacked (decoded into panels on every matmul). */
    static final boolean PACK_F32 = !"false".equalsIgnoreCase(System.getProperty("koboldj.cpu.packF32"));

    final WeightTensor tensor;
    final MemorySegment data;
    final QuantCodec codec;
    final int rows;
    final int cols;
    final long rowBytes;
    final RowDecoder decoder;

    private final LongConsumer packedBytes;
    private volatile float[] panels;
    private volatile boolean unpackable;

    CpuWeights(WeightTensor tensor) {
        this(tensor, bytes -> { }, PACK_F32);
    }

    /** {@code packedBytes} hears how many bytes packing added (the backend's weight accounting); {@code pack} allows packing. */
    CpuWeights(WeightTensor tensor, LongConsumer packedBytes, boolean pack) {
        this.packedBytes = packedBytes;
        this.unpackable = !pack;
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

    /**
     * An F32 matrix's rows packed into the matmul's panels, {@code panels[(p*K + k)*PW + j] = w[p*PW + j][k]} (zero past
     * the last row), built by the pool on first use; afterwards the mapped pages of the tensor are released, so the copy
     * replaces them in resident memory. Null for other formats, vectors, with packing off, or when the heap has no room
     * for the copy: the matmul then decodes panels on every call.
     *
     * <p>Why a copy for F32 only: transposing rows into panels costs about 1.5 cycles per weight, as much as the
     * multiply itself for a batch of ~16 rows, so a short query would spend most of its time re-packing. Quantized
     * formats decode rows instead (the row path), which is cheap and keeps their memory saving.
     */
    float[] panels(WorkerPool pool) {
        float[] p = panels;
        if (p != null || unpackable) return p;
        synchronized (this) {
            if (panels != null || unpackable) return panels;
            int count = (rows + MatmulKernels.PW - 1) / MatmulKernels.PW;
            long floats = (long) count * MatmulKernels.PW * cols;
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (!Simd.ENABLED || tensor.type() != GgmlType.F32 || rows < 2 || floats > Integer.MAX_VALUE - 64 || 4 * floats > free / 2) {
                unpackable = true;
                return null;
            }
            float[] packed = new float[(int) floats];
            pool.run(count, (panel, worker) -> {
                CpuScratch s = pool.scratch(worker);
                int n0 = panel * MatmulKernels.PW, nv = Math.min(MatmulKernels.PW, rows - n0);
                float[] r = s.rows(nv * cols);
                decoder.decode(data, rowBytes, n0, nv, cols, r, 0, s);
                Panels.pack(r, 0, cols, nv, packed, panel * cols * MatmulKernels.PW);
            });
            if (data.isMapped()) data.unload();
            packedBytes.accept(4 * floats);
            panels = packed;
            return packed;
        }
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
