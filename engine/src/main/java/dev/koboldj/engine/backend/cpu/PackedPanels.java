package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;

import dev.koboldj.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * A weight matrix rearranged into the matmul's panels: panel p holds rows [p*PW, p*PW + PW) (zero past the last row)
 * and, for each k, the PW values of that column side by side, so a micro-kernel reads one k as two vector loads.
 * {@link #panel} gives panel p as floats, {@code panel[offset(p) + k*PW + j] = w[p*PW + j][k]}.
 *
 * <p>F32 keeps the floats themselves. F16, Q8_0 and Q4_0 keep their own encoding, interleaved the same way (F16: one
 * half per value; Q8_0: one signed byte per value; Q4_0: one byte per two values; both plus, per 32-value block of k,
 * the PW row scales as floats), and expand a panel into worker scratch when it is used: a vector conversion per PW
 * values instead of the ~1.5 cycles per weight that transposing decoded rows costs, so small batches run the panel
 * tiles without wasting vector lanes, and the copy takes about as much memory as the file's tensor (6-11% more for the
 * quantized formats). Every expansion gives exactly the floats of the format's codec.
 */
abstract sealed class PackedPanels {
    final int k;

    PackedPanels(int k) {
        this.k = k;
    }

    /** Whether matrices of this type are packed. */
    static boolean supports(GgmlType type) {
        return type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.Q8_0 || type == GgmlType.Q4_0;
    }

    /** Bytes a packed copy of {@code rows x k} weights of this type takes. */
    static long bytes(GgmlType type, int rows, int k) {
        long values = (long) panelCount(rows) * PW * k;
        return switch (type) {
            case F32 -> 4 * values;
            case F16 -> 2 * values;
            case Q8_0 -> values + values / 32 * 4;
            case Q4_0 -> values / 2 + values / 32 * 4;
            default -> throw new IllegalArgumentException(type + " matrices are not packed");
        };
    }

    static int panelCount(int rows) {
        return (rows + PW - 1) / PW;
    }

    /** Packs {@code w} (a supported type whose packed size fits an array) with the pool, one task per panel. */
    static PackedPanels pack(CpuWeights w, WorkerPool pool) {
        PackedPanels p = switch (w.type()) {
            case F32 -> new F32(w.cols, new float[Math.toIntExact((long) panelCount(w.rows) * PW * w.cols)]);
            case F16 -> new F16(w.cols, new short[Math.toIntExact((long) panelCount(w.rows) * PW * w.cols)]);
            case Q8_0 -> new Q8_0(w.cols, w.rows);
            case Q4_0 -> new Q4_0(w.cols, w.rows);
            default -> throw new IllegalArgumentException(w.type() + " matrices are not packed");
        };
        pool.run(panelCount(w.rows), (panel, worker) -> p.fill(w, panel, pool.scratch(worker)));
        return p;
    }

    /** Writes panel p from the weight's mapped bytes. */
    abstract void fill(CpuWeights w, int p, CpuScratch s);

    /** The array holding panel p as floats: the packed copy itself, or {@code s}'s panel scratch after expanding p into it. */
    abstract float[] panel(int p, CpuScratch s);

    /** Where panel p starts in the array {@link #panel} returns. */
    abstract int offset(int p);

    /**
     * Panel p as {@link #panel} gives it, after computing from it the sweep's first 6-row tile:
     * {@link MatmulKernels#panelTile6} of x (rows at {@code x0}, {@code xs} apart) into {@code dst[d0 + r*ds + c]}.
     * A format whose expansion can run inside that tile's FMAs overrides this (Q8_0: {@link ExpandingTiles}).
     */
    float[] panelWithTile6(int p, CpuScratch s, float[] x, int x0, int xs, float[] init, int i0, float[] dst, int d0, int ds) {
        float[] w = panel(p, s);
        MatmulKernels.panelTile6(x, x0, xs, w, offset(p), k, init, i0, dst, d0, ds);
        return w;
    }

    /** How many of panel p's PW rows exist in the weight. */
    private static int rowsIn(CpuWeights w, int p) {
        return Math.min(PW, w.rows - p * PW);
    }

    static final class F32 extends PackedPanels {
        private final float[] f;

        F32(int k, float[] f) {
            super(k);
            this.f = f;
        }

        @Override
        void fill(CpuWeights w, int p, CpuScratch s) {
            int n0 = p * PW, nv = rowsIn(w, p);
            float[] r = s.rows(nv * k);
            w.decoder.decode(w.data, w.rowBytes, n0, nv, k, r, 0, s);
            Panels.pack(r, 0, k, nv, f, p * k * PW);
        }

        @Override
        float[] panel(int p, CpuScratch s) {
            return f;
        }

        @Override
        int offset(int p) {
            return p * k * PW;
        }
    }

    /** F16: {@code h[(p*K + k)*PW + j]} is the half of row p*PW + j at k. */
    static final class F16 extends PackedPanels {
        private final short[] h;

        F16(int k, short[] h) {
            super(k);
            this.h = h;
        }

        @Override
        void fill(CpuWeights w, int p, CpuScratch s) {
            int nv = rowsIn(w, p), base = p * k * PW;
            short[] row = s.halves(k);
            for (int j = 0; j < nv; j++) {
                MemorySegment.copy(w.data, RowDecoder.LE_SHORT, (p * PW + j) * w.rowBytes, row, 0, k);
                for (int i = 0; i < k; i++) h[base + i * PW + j] = row[i];
            }
        }

        @Override
        float[] panel(int p, CpuScratch s) {
            int n = k * PW, base = p * n;
            float[] dst = s.panel(n);
            for (int i = 0; i < n; i++) dst[i] = Float.float16ToFloat(h[base + i]); // the loop shape RowDecoder.F16 uses
            return dst;
        }

        @Override
        int offset(int p) {
            return 0;
        }
    }

    /**
     * Block formats with an fp16 scale d ahead of each block's bytes (Q8_0, Q4_0): {@code q[(p*B*V + b*V + i)*PW + j]}
     * is byte i of block b of row p*PW + j (B blocks of V bytes per row), {@code d[(p*B + b)*PW + j]} that block's
     * scale as a float.
     */
    abstract static sealed class Scaled extends PackedPanels {
        final byte[] q;
        final float[] d;
        final int bytesPerBlock;

        Scaled(int k, int bytesPerBlock, int rows) {
            super(k);
            this.bytesPerBlock = bytesPerBlock;
            this.q = new byte[Math.toIntExact((long) panelCount(rows) * PW * (k / 32) * bytesPerBlock)];
            this.d = new float[Math.toIntExact((long) panelCount(rows) * PW * (k / 32))];
        }

        @Override
        void fill(CpuWeights w, int p, CpuScratch s) {
            int nv = rowsIn(w, p), blocks = k / 32, base = p * blocks * bytesPerBlock * PW, dBase = p * blocks * PW;
            byte[] row = s.bytes((int) w.rowBytes);
            for (int j = 0; j < nv; j++) {
                MemorySegment.copy(w.data, ValueLayout.JAVA_BYTE, (p * PW + j) * w.rowBytes, row, 0, (int) w.rowBytes);
                for (int b = 0; b < blocks; b++) {
                    int o = b * (2 + bytesPerBlock);
                    d[dBase + b * PW + j] = RowDecoder.scale(row, o);
                    for (int i = 0; i < bytesPerBlock; i++) q[base + (b * bytesPerBlock + i) * PW + j] = row[o + 2 + i];
                }
            }
        }

        @Override
        int offset(int p) {
            return 0;
        }
    }

    /** Q8_0: 32 signed bytes per block, the weight at k = 32b + i is {@code q_i * d}, as the codec computes it. */
    static final class Q8_0 extends Scaled {
        Q8_0(int k, int rows) {
            super(k, 32, rows);
        }

        @Override
        float[] panel(int p, CpuScratch s) {
            int blocks = k / 32, base = p * k * PW, dBase = p * blocks * PW;
            float[] dst = s.panel(k * PW);
            for (int b = 0; b < blocks; b++) {
                int scales = dBase + b * PW;
                if (Simd.BYTE_VECTORS) block(base, scales, b * 32 * PW, dst);
                else for (int i = b * 32 * PW; i < (b + 1) * 32 * PW; i += PW) {
                    for (int j = 0; j < PW; j++) dst[i + j] = q[base + i + j] * d[scales + j];
                }
            }
            return dst;
        }

        /** Expands panel p while the tile runs ({@link ExpandingTiles#q8Tile6}) where bytes widen to a float vector. */
        @Override
        float[] panelWithTile6(int p, CpuScratch s, float[] x, int x0, int xs, float[] init, int i0, float[] dst, int d0, int ds) {
            if (!Simd.BYTE_VECTORS) return super.panelWithTile6(p, s, x, x0, xs, init, i0, dst, d0, ds);
            float[] w = s.panel(k * PW);
            ExpandingTiles.q8Tile6(x, x0, xs, q, p * k * PW, d, p * (k / 32) * PW, k, w, init, i0, dst, d0, ds);
            return w;
        }

        /** One block of 32 k, its two scale vectors loaded once (a reload per k cost 30% of the expansion). */
        private void block(int base, int scales, int i0, float[] dst) {
            FloatVector s0 = FloatVector.fromArray(Simd.F, d, scales), s1 = FloatVector.fromArray(Simd.F, d, scales + Simd.LANES);
            for (int i = i0; i < i0 + 32 * PW; i += PW) {
                Simd.widen(ByteVector.fromArray(Simd.BYTES, q, base + i)).mul(s0).intoArray(dst, i);
                Simd.widen(ByteVector.fromArray(Simd.BYTES, q, base + i + Simd.LANES)).mul(s1).intoArray(dst, i + Simd.LANES);
            }
        }
    }

    /**
     * Q4_0: 16 bytes per block, byte i holding the value at k = 32b + i (low nibble) and 32b + 16 + i (high); the weight
     * is {@code (nibble - 8) * d}.
     */
    static final class Q4_0 extends Scaled {
        Q4_0(int k, int rows) {
            super(k, 16, rows);
        }

        @Override
        float[] panel(int p, CpuScratch s) {
            int blocks = k / 32, base = p * k / 2 * PW, dBase = p * blocks * PW;
            float[] dst = s.panel(k * PW);
            for (int b = 0; b < blocks; b++) {
                int src = base + b * 16 * PW, scales = dBase + b * PW, lo = b * 32 * PW, hi = lo + 16 * PW;
                if (Simd.BYTE_VECTORS) block(src, scales, lo, dst);
                else for (int i = 0; i < 16 * PW; i += PW) {
                    for (int j = 0; j < PW; j++) {
                        int v = q[src + i + j] & 0xFF;
                        dst[lo + i + j] = ((v & 0xF) - 8) * d[scales + j];
                        dst[hi + i + j] = ((v >>> 4) - 8) * d[scales + j];
                    }
                }
            }
            return dst;
        }

        /** One block: bytes [src, src + 16*PW) give k = 32b..32b+15 (low nibbles) and 32b+16.. (high), scales loaded once. */
        private void block(int src, int scales, int lo, float[] dst) {
            FloatVector s0 = FloatVector.fromArray(Simd.F, d, scales), s1 = FloatVector.fromArray(Simd.F, d, scales + Simd.LANES);
            FloatVector h0 = s0.mul(0.0625f), h1 = s1.mul(0.0625f);
            int hi = lo + 16 * PW;
            for (int i = 0; i < 16 * PW; i += PW) {
                ByteVector v0 = ByteVector.fromArray(Simd.BYTES, q, src + i), v1 = ByteVector.fromArray(Simd.BYTES, q, src + i + Simd.LANES);
                Simd.widen(RowDecoder.lowNibbles(v0)).mul(s0).intoArray(dst, lo + i);
                Simd.widen(RowDecoder.lowNibbles(v1)).mul(s1).intoArray(dst, lo + i + Simd.LANES);
                Simd.widen(RowDecoder.highNibbles16(v0)).mul(h0).intoArray(dst, hi + i);
                Simd.widen(RowDecoder.highNibbles16(v1)).mul(h1).intoArray(dst, hi + i + Simd.LANES);
            }
        }
    }
}
