package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;
import static dev.koboldj.engine.backend.cpu.Simd.BYTES;
import static dev.koboldj.engine.backend.cpu.Simd.F;
import static dev.koboldj.engine.backend.cpu.Simd.LANES;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * {@link MatmulKernels#panelTile6} over a Q8_0 packed panel that expands the panel while it runs: each k's PW weights
 * are decoded once into registers, multiplied into the tile and stored into {@code w} ({@code w[k*PW + c]}, the
 * layout {@link PackedPanels#panel} gives) for the panel's other tiles, so the decode overlaps the tile's FMAs instead
 * of running as a pass of its own (M=32 on one thread: 4-6% faster). Same bits as expanding first and then running
 * panelTile6. Needs {@link Simd#BYTE_VECTORS}. Q4_0 has no such tile: its nibble extraction inside the FMA loop cost
 * more than the separate pass (three variants ran 1-50% slower), and a loop per nibble half, two FMA bodies in one
 * method, ran at half speed (past C2's limits for intrinsics). Its FMA body repeats panelTile6's on
 * purpose: see {@link MatmulKernels} on why the micro-kernels are hand-unrolled small methods.
 */
final class ExpandingTiles {
    private ExpandingTiles() {
    }

    /**
     * Q8_0: {@code q[q0 + k*PW + c]} is the byte of row c at k, {@code d[s0 + (k/32)*PW + c]} its block's scale; the
     * weight is their product. Outputs as panelTile6: {@code dst[d0 + r*ds + c]}, chains from {@code init[i0 + c]}.
     */
    static void q8Tile6(float[] x, int x0, int xs, byte[] q, int q0, float[] d, int s0, int kLen, float[] w, float[] init, int i0, float[] dst, int d0, int ds) {
        FloatVector z0 = FloatVector.fromArray(F, init, i0), z1 = FloatVector.fromArray(F, init, i0 + LANES);
        FloatVector c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1, c30 = z0, c31 = z1, c40 = z0, c41 = z1, c50 = z0, c51 = z1;
        int x0o = x0, x1o = x0 + 1 * xs, x2o = x0 + 2 * xs, x3o = x0 + 3 * xs, x4o = x0 + 4 * xs, x5o = x0 + 5 * xs;
        for (int kb = 0; kb < kLen; kb += 32) {
            FloatVector d0v = FloatVector.fromArray(F, d, s0 + kb / 32 * PW), d1v = FloatVector.fromArray(F, d, s0 + kb / 32 * PW + LANES);
            for (int k = kb; k < kb + 32; k++) {
                FloatVector b0 = Simd.widen(ByteVector.fromArray(BYTES, q, q0 + k * PW)).mul(d0v);
                FloatVector b1 = Simd.widen(ByteVector.fromArray(BYTES, q, q0 + k * PW + LANES)).mul(d1v);
                b0.intoArray(w, k * PW);
                b1.intoArray(w, k * PW + LANES);
                FloatVector a = FloatVector.broadcast(F, x[x0o + k]);
                c00 = b0.fma(a, c00);
                c01 = b1.fma(a, c01);
                a = FloatVector.broadcast(F, x[x1o + k]);
                c10 = b0.fma(a, c10);
                c11 = b1.fma(a, c11);
                a = FloatVector.broadcast(F, x[x2o + k]);
                c20 = b0.fma(a, c20);
                c21 = b1.fma(a, c21);
                a = FloatVector.broadcast(F, x[x3o + k]);
                c30 = b0.fma(a, c30);
                c31 = b1.fma(a, c31);
                a = FloatVector.broadcast(F, x[x4o + k]);
                c40 = b0.fma(a, c40);
                c41 = b1.fma(a, c41);
                a = FloatVector.broadcast(F, x[x5o + k]);
                c50 = b0.fma(a, c50);
                c51 = b1.fma(a, c51);
            }
        }
        c00.intoArray(dst, d0);
        c01.intoArray(dst, d0 + LANES);
        c10.intoArray(dst, d0 + 1 * ds);
        c11.intoArray(dst, d0 + 1 * ds + LANES);
        c20.intoArray(dst, d0 + 2 * ds);
        c21.intoArray(dst, d0 + 2 * ds + LANES);
        c30.intoArray(dst, d0 + 3 * ds);
        c31.intoArray(dst, d0 + 3 * ds + LANES);
        c40.intoArray(dst, d0 + 4 * ds);
        c41.intoArray(dst, d0 + 4 * ds + LANES);
        c50.intoArray(dst, d0 + 5 * ds);
        c51.intoArray(dst, d0 + 5 * ds + LANES);
    }
}
