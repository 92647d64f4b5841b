package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.ElementType.F32;
import static dev.koboldj.engine.backend.ElementType.I32;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.backend.Rope;
import dev.koboldj.engine.backend.SequenceLayout;
import java.util.function.IntConsumer;

/** Runs each operation as soon as it is enqueued, spread over the backend's worker pool. */
final class CpuStream implements CommandStream {
    /** Row-wise operations on fewer elements than this run on the calling thread. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 14;

    private final WorkerPool pool;
    /** Scratch of the thread that owns this stream (a stream belongs to one thread at a time). */
    private final CpuScratch local = new CpuScratch();

    CpuStream(WorkerPool pool) {
        this.pool = pool;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Runs body(row) for rows [0, rows), in parallel chunks when the work is large enough. */
    private void forRows(int rows, int cols, IntConsumer body) {
        if ((long) rows * cols < PARALLEL_MIN_ELEMENTS || pool.threads() == 1) {
            for (int r = 0; r < rows; r++) body.accept(r);
            return;
        }
        int chunks = Math.min(rows, pool.threads() * 4);
        pool.run(chunks, (c, worker) -> {
            int from = (int) ((long) rows * c / chunks), to = (int) ((long) rows * (c + 1) / chunks);
            for (int r = from; r < to; r++) body.accept(r);
        });
    }

    @Override
    public void write(Activations dst, float[] src) {
        CpuBuffer d = CpuBuffer.of(dst, F32, "destination");
        check(src.length <= d.f.length, "write of " + src.length + " floats into a buffer of " + d.f.length);
        System.arraycopy(src, 0, d.f, 0, src.length);
    }

    @Override
    public void write(Activations dst, int[] src) {
        CpuBuffer d = CpuBuffer.of(dst, I32, "destination");
        check(src.length <= d.i.length, "write of " + src.length + " ints into a buffer of " + d.i.length);
        System.arraycopy(src, 0, d.i, 0, src.length);
    }

    @Override
    public void read(Activations src, float[] dst) {
        CpuBuffer s = CpuBuffer.of(src, F32, "source");
        check(dst.length <= s.rows * s.cols, "read of " + dst.length + " floats from " + s.rows + "x" + s.cols);
        System.arraycopy(s.f, 0, dst, 0, dst.length);
    }

    @Override
    public void getRows(DeviceWeights table, Activations ids, Activations out) {
        CpuWeights t = CpuWeights.of(table, "table");
        CpuBuffer id = CpuBuffer.of(ids, I32, "ids"), o = CpuBuffer.of(out, F32, "out");
        check(o.cols == t.cols && id.rows >= o.rows, "getRows shapes: table " + t.rows + "x" + t.cols + ", out " + o.rows + "x" + o.cols);
        for (int r = 0; r < o.rows; r++) {
            int row = id.i[r * id.cols];
            check(row >= 0 && row < t.rows, "row id " + row + " outside [0, " + t.rows + ") of " + t.name());
        }
        forRows(o.rows, o.cols, r -> t.row(id.i[r * id.cols], o.f, r * o.cols));
    }

    @Override
    public void matmul(Activations x, DeviceWeights w, DeviceWeights bias, Activation act, Activations residual, Activations out) {
        CpuBuffer xb = CpuBuffer.of(x, F32, "x"), ob = CpuBuffer.of(out, F32, "out");
        CpuWeights wb = CpuWeights.of(w, "weight");
        CpuBuffer rb = residual == null ? null : CpuBuffer.of(residual, F32, "residual");
        check(xb.cols == wb.cols && ob.cols == wb.rows && xb.rows >= ob.rows, "matmul shapes: x " + xb.rows + "x" + xb.cols
                + ", " + wb.name() + " " + wb.rows + "x" + wb.cols + ", out " + ob.rows + "x" + ob.cols);
        check(ob.f != xb.f, "matmul output must not alias its input");
        CpuWeights bw = bias == null ? null : CpuWeights.of(bias, "bias");
        check(bw == null || bw.vector().length == wb.rows, "bias length " + (bw == null ? 0 : bw.vector().length) + " for " + wb.rows + " outputs");
        float[] b = bw == null ? null : bw.paddedVector(Matmul.paddedLength(wb.rows));
        check(rb == null || (rb.cols == ob.cols && rb.rows >= ob.rows), "residual shape");
        Matmul.run(pool, local, xb.f, ob.rows, wb, b, act, rb == null ? null : rb.f, ob.f);
    }

    @Override
    public void add(Activations a, Activations b, Activations out) {
        CpuBuffer ab = CpuBuffer.of(a, F32, "a"), bb = CpuBuffer.of(b, F32, "b"), o = CpuBuffer.of(out, F32, "out");
        check(ab.cols == o.cols && bb.cols == o.cols && ab.rows >= o.rows && bb.rows >= o.rows, "add shapes");
        forRows(o.rows, o.cols, r -> VectorKernels.add(ab.f, r * o.cols, bb.f, r * o.cols, o.f, r * o.cols, o.cols));
    }

    @Override
    public void layerNorm(Activations x, DeviceWeights gamma, DeviceWeights beta, float eps, Activations out) {
        CpuBuffer xb = CpuBuffer.of(x, F32, "x"), o = CpuBuffer.of(out, F32, "out");
        float[] g = CpuWeights.of(gamma, "gamma").vector();
        float[] b = beta == null ? null : CpuWeights.of(beta, "beta").vector();
        int n = xb.cols;
        check(o.cols == n && g.length == n && (b == null || b.length == n) && xb.rows >= o.rows, "layerNorm shapes");
        forRows(o.rows, n, r -> {
            int off = r * n;
            float mean = VectorKernels.sum(xb.f, off, n) / n;
            float var = VectorKernels.sumSquaredDeviations(xb.f, off, n, mean) / n;
            VectorKernels.normalize(xb.f, off, mean, (float) (1.0 / Math.sqrt(var + eps)), g, b, o.f, off, n);
        });
    }

    @Override
    public void rmsNorm(Activations x, DeviceWeights gamma, float eps, Activations out) {
        CpuBuffer xb = CpuBuffer.of(x, F32, "x"), o = CpuBuffer.of(out, F32, "out");
        float[] g = CpuWeights.of(gamma, "gamma").vector();
        int group = g.length;
        check(o.cols == xb.cols && xb.cols % group == 0 && xb.rows >= o.rows, "rmsNorm shapes: row " + xb.cols + ", gamma " + group);
        forRows(o.rows, o.cols, r -> {
            for (int off = r * o.cols, end = off + o.cols; off < end; off += group) {
                float ms = VectorKernels.sumSquaredDeviations(xb.f, off, group, 0f) / group;
                VectorKernels.normalize(xb.f, off, 0f, (float) (1.0 / Math.sqrt(ms + eps)), g, null, o.f, off, group);
            }
        });
    }

    @Override
    public void swiglu(Activations gate, Activations up, Activations out) {
        CpuBuffer g = CpuBuffer.of(gate, F32, "gate"), u = CpuBuffer.of(up, F32, "up"), o = CpuBuffer.of(out, F32, "out");
        check(g.cols == o.cols && u.cols == o.cols && g.rows >= o.rows && u.rows >= o.rows, "swiglu shapes");
        forRows(o.rows, o.cols, r -> VectorKernels.swiglu(g.f, r * o.cols, u.f, r * o.cols, o.f, r * o.cols, o.cols));
    }

    @Override
    public void rope(Activations x, Activations positions, Rope rope) {
        CpuBuffer xb = CpuBuffer.of(x, F32, "x"), p = CpuBuffer.of(positions, I32, "positions");
        check(xb.cols == rope.headCount() * rope.headDim() && p.rows >= xb.rows, "rope shapes: row " + xb.cols + " for " + rope);
        int half = rope.rotaryDims() / 2;
        double[] invFreq = new double[half];
        for (int i = 0; i < half; i++) invFreq[i] = Math.pow(rope.freqBase(), -2.0 * i / rope.rotaryDims());
        forRows(xb.rows, xb.cols, r -> {
            int pos = p.i[r * p.cols];
            for (int i = 0; i < half; i++) {
                double theta = pos * invFreq[i];
                float cos = (float) Math.cos(theta), sin = (float) Math.sin(theta);
                for (int h = 0; h < rope.headCount(); h++) {
                    int base = r * xb.cols + h * rope.headDim();
                    int i0 = rope.neox() ? base + i : base + 2 * i;
                    int i1 = rope.neox() ? base + i + half : base + 2 * i + 1;
                    float x0 = xb.f[i0], x1 = xb.f[i1];
                    xb.f[i0] = x0 * cos - x1 * sin;
                    xb.f[i1] = x0 * sin + x1 * cos;
                }
            }
        });
    }

    @Override
    public void attention(Activations q, Activations k, Activations v, SequenceLayout layout, Attention shape, Activations out) {
        CpuBuffer qb = CpuBuffer.of(q, F32, "q"), kb = CpuBuffer.of(k, F32, "k"), vb = CpuBuffer.of(v, F32, "v"), o = CpuBuffer.of(out, F32, "out");
        int d = shape.headDim();
        check(qb.cols == shape.headCount() * d && o.cols == qb.cols && kb.cols == shape.kvHeadCount() * d && vb.cols == kb.cols, "attention shapes");
        check(o.f != qb.f && o.f != kb.f && o.f != vb.f, "attention output must be a separate buffer");
        for (int s = 0; s < layout.sequenceCount(); s++) {
            check(layout.queryStart(s) + layout.queryLength(s) <= o.rows && layout.keyStart(s) + layout.keyLength(s) <= kb.rows, "sequence " + s + " outside the buffers");
        }
        Attend.run(pool, qb.f, kb.f, vb.f, o.f, layout, shape);
    }

    @Override
    public void pool(Activations hidden, SequenceLayout layout, Pooling mode, Activations out) {
        CpuBuffer h = CpuBuffer.of(hidden, F32, "hidden"), o = CpuBuffer.of(out, F32, "out");
        int n = h.cols;
        check(o.cols == n && o.rows >= layout.sequenceCount(), "pool shapes");
        check(mode == Pooling.MEAN || mode == Pooling.CLS || mode == Pooling.LAST, "pooling " + mode + " is not a pooling op");
        for (int s = 0; s < layout.sequenceCount(); s++) {
            int start = layout.queryStart(s), len = layout.queryLength(s);
            int dst = s * n;
            if (len == 0) {
                java.util.Arrays.fill(o.f, dst, dst + n, 0f);
                continue;
            }
            switch (mode) {
                case CLS -> System.arraycopy(h.f, start * n, o.f, dst, n);
                case LAST -> System.arraycopy(h.f, (start + len - 1) * n, o.f, dst, n);
                default -> {
                    java.util.Arrays.fill(o.f, dst, dst + n, 0f);
                    for (int r = start; r < start + len; r++) VectorKernels.axpy(1f, h.f, r * n, o.f, dst, n);
                    VectorKernels.scale(o.f, dst, 1f / len, n);
                }
            }
        }
    }

    @Override
    public void l2Normalize(Activations x, Activations out) {
        CpuBuffer xb = CpuBuffer.of(x, F32, "x"), o = CpuBuffer.of(out, F32, "out");
        int n = xb.cols;
        check(o.cols == n && xb.rows >= o.rows, "l2Normalize shapes");
        for (int r = 0; r < o.rows; r++) {
            int off = r * n;
            double norm = Math.sqrt(VectorKernels.sumSquaredDeviations(xb.f, off, n, 0f));
            if (o.f != xb.f) System.arraycopy(xb.f, off, o.f, off, n);
            if (norm > 0) VectorKernels.scale(o.f, off, (float) (1.0 / norm), n);
        }
    }

    @Override
    public void copyRows(Activations src, Activations dst, int dstRow) {
        CpuBuffer s = (CpuBuffer) src, d = (CpuBuffer) dst;
        check(s.type == d.type && s.cols == d.cols && dstRow >= 0 && dstRow + s.rows <= d.capacity, "copyRows shapes");
        if (s.type == F32) System.arraycopy(s.f, 0, d.f, dstRow * d.cols, s.rows * s.cols);
        else System.arraycopy(s.i, 0, d.i, dstRow * d.cols, s.rows * s.cols);
    }

    @Override
    public void await() {
        // Operations ran when they were enqueued.
    }

    @Override
    public void close() {
    }
}
