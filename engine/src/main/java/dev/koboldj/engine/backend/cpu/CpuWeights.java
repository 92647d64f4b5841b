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
 * {@link RowDecoder}. F32, F16, Q8_0 and Q4_0 matrices are the exception: on their first matmul they are packed into panels
 * (see {@link #panels}), a copy that replaces the mapped slice in resident memory and in the backend's accounting.
 */
final class CpuWeights implements DeviceWeights {
    /** {@code -Dkoboldj.cpu.packWeights=false} keeps matrices unpacked (their mapped rows decoded on every matmul). */
    static final boolean PACK = !"false".equalsIgnoreCase(System.getProperty("koboldj.cpu.packWeights"));

    final WeightTensor tensor;
    final MemorySegment data;
    final QuantCodec codec;
    final int rows;
    final int cols;
    final long rowBytes;
    final RowDecoder decoder;

    private static final java.util.concurrent.atomic.AtomicBoolean HEAP_WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    private final LongConsumer packedBytes;
    private volatile PackedPanels panels;
    private volatile boolean unpackable;

    CpuWeights(WeightTensor tensor) {
        this(tensor, bytes -> { }, PACK);
    }

    /** {@code packedBytes} hears how many bytes packing added, net of a released mapping (the backend's weight accounting); {@code pack} allows packing. */
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
     * The matrix packed into the matmul's panels ({@link PackedPanels}: F32, F16, Q8_0 and Q4_0 matrices), built by the
     * pool on first use; afterwards the mapped pages of the tensor are released, so the copy replaces them in resident memory.
     * Null for other formats, vectors, with packing off, or when the heap has no room for the copy: the matmul then
     * decodes the mapped rows on every call.
     *
     * <p>Why a copy: transposing rows into panels costs about 1.5 cycles per weight, as much as the multiply itself for
     * a batch of ~16 rows, so without it a short query spends its time re-packing, or runs the row path, whose vector
     * lanes go over the batch rows and sit idle when there are fewer rows than lanes.
     */
    PackedPanels panels(WorkerPool pool) {
        PackedPanels p = panels;
        if (p != null || unpackable) return p;
        synchronized (this) {
            if (panels != null || unpackable) return panels;
            long bytes = PackedPanels.supports(tensor.type()) ? PackedPanels.bytes(tensor.type(), rows, cols) : 0;
            long values = (long) PackedPanels.panelCount(rows) * MatmulKernels.PW * cols; // bounds every array of the copy
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (!Simd.ENABLED || bytes == 0 || rows < 2 || values > Integer.MAX_VALUE - 64 || bytes > free / 2) {
                if (bytes > free / 2 && !HEAP_WARNED.getAndSet(true)) {
                    System.getLogger("koboldj.cpu").log(System.Logger.Level.WARNING, String.format(
                            "the Java heap has %d MiB free, too little to pack %s (%d MiB): matrices that do not fit run unpacked, "
                                    + "slower on short inputs; give the JVM more heap (e.g. KOBOLDJ_JAVA_OPTS=-Xmx8g)",
                            free >> 20, tensor.name(), bytes >> 20));
                }
                unpackable = true;
                return null;
            }
            p = PackedPanels.pack(this, pool);
            // The copy replaces the mapped slice in resident memory, and so in the accounting.
            if (data.isMapped()) {
                data.unload();
                packedBytes.accept(bytes - data.byteSize());
            } else {
                packedBytes.accept(bytes);
            }
            panels = p;
            return p;
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
