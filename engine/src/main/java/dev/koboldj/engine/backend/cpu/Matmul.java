package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Activation;

/**
 * {@code out[m][n] = act(x[m] . w[n] + bias[n]) + residual[m][n]}. Work is split over blocks of {@link #BLOCK}
 * weight rows; each block is decoded once into a per-thread buffer and multiplied against every activation row.
 */
final class Matmul {
    static final int BLOCK = 16;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private Matmul() {
    }

    static void run(WorkerPool pool, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        int k = w.cols, n = w.rows;
        int blocks = (n + BLOCK - 1) / BLOCK;
        pool.run(blocks, blk -> {
            int n0 = blk * BLOCK, nb = Math.min(BLOCK, n - n0);
            float[] wbuf = scratch(nb * k);
            for (int j = 0; j < nb; j++) w.row(n0 + j, wbuf, j * k);
            for (int r = 0; r < m; r++) {
                int xo = r * k, oo = r * n + n0;
                for (int j = 0; j < nb; j++) {
                    float v = VectorKernels.dot(x, xo, wbuf, j * k, k);
                    if (bias != null) v += bias[n0 + j];
                    v = switch (act) {
                        case NONE -> v;
                        case GELU -> Nonlinear.gelu(v);
                        case SILU -> Nonlinear.silu(v);
                    };
                    if (residual != null) v += residual[oo + j];
                    out[oo + j] = v;
                }
            }
        });
    }

    private static float[] scratch(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }
}
