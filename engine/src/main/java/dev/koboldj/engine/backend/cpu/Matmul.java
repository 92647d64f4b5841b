package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;

import dev.koboldj.engine.backend.Activation;

/**
 * {@code out[m][n] = act(bias[n] + x[m] . w[n]) + residual[m][n]} for x [M][K] and a weight of N rows of K, read
 * straight from the mapped GGUF bytes. Two SIMD paths and a scalar one, all producing the same bits (see
 * {@link MatmulKernels}):
 * <ul>
 *   <li><b>panel path</b> (M above {@link #ROW_PATH_MAX_ROWS}): one task per panel of {@link MatmulKernels#PW}
 *       output columns. The task decodes the panel's weight rows once and transposes them into a K x PW panel in
 *       its worker's scratch, then sweeps all of x in 6-row tiles (2- and 1-row tails); a tile is stored with the
 *       residual added, or activated while it is in L1.</li>
 *   <li><b>row path</b> (small M): x is transposed once into a K x PW panel (rows beyond M zero), and tasks of
 *       {@link #ROWS_PER_TASK} weight rows broadcast those rows against it, writing transposed tiles. Decoding rows
 *       is much cheaper than building panels, which matters when M is too small to amortise a panel.</li>
 *   <li><b>scalar path</b> (SIMD off): {@link ScalarKernels#dotChain} and {@link ScalarKernels#finish} per output.</li>
 * </ul>
 */
final class Matmul {
    /** Batches of at most this many rows take the row path ({@code -Dkoboldj.cpu.rowPathMaxRows}; default one panel). */
    static final int ROW_PATH_MAX_ROWS = Integer.getInteger("koboldj.cpu.rowPathMaxRows", PW);
    /** Weight rows one row-path task decodes and multiplies (a multiple of the 6 rows of {@link MatmulKernels#rowTile6}). */
    static final int ROWS_PER_TASK = 24;
    /** Weight rows one scalar-path task decodes at a time. */
    private static final int SCALAR_ROWS = 16;

    private Matmul() {
    }

    /** Chain start values when there is no bias. */
    static final float[] ZEROS = new float[Math.max(PW, 8)];

    /**
     * Runs the matmul for the first {@code m} rows of x. {@code bias} is null or padded with zeros to at least
     * {@link #paddedLength}(N) (tiles read a whole panel of it); {@code local} is scratch of the calling thread (the row
     * path's transposed x); {@code residual} may be {@code out} itself.
     */
    static void run(WorkerPool pool, CpuScratch local, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        if (m <= 0) return;
        if (!Simd.ENABLED) scalar(pool, x, m, w, bias, act, residual, out);
        else if (m <= ROW_PATH_MAX_ROWS) rows(pool, local, x, m, w, bias, act, residual, out);
        else panels(pool, x, m, w, bias, act, residual, out);
    }

    /** How long a bias array must be for N outputs: whole panels, plus a row tile's reach past the last row. */
    static int paddedLength(int n) {
        return (n + PW - 1) / PW * PW + PW;
    }

    private static void panels(WorkerPool pool, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        int k = w.cols, n = w.rows;
        float[] init = bias == null ? ZEROS : bias;
        pool.run((n + PW - 1) / PW, (p, worker) -> {
            CpuScratch s = pool.scratch(worker);
            int n0 = p * PW, nv = Math.min(PW, n - n0), i0 = bias == null ? 0 : n0;
            float[] rows = s.rows(PW * k);
            w.decoder.decode(w.data, w.rowBytes, n0, nv, k, rows, 0, s);
            float[] panel = s.panel(PW * k);
            Panels.pack(rows, k, nv, panel);
            // A whole panel without activation is stored straight to out, the residual added on the way. With an
            // activation the tile is activated in place in out, unless the panel is partial or the residual is out
            // itself: then it goes through scratch.
            boolean direct = nv == PW && act == Activation.NONE;
            boolean inPlace = nv == PW && residual != out;
            float[] tile = direct || inPlace ? null : s.tile(6 * PW);
            for (int m0 = 0; m0 < m; ) {
                int t = m - m0 >= 6 ? 6 : m - m0 >= 2 ? 2 : 1;
                int o = m0 * n + n0;
                if (direct) {
                    if (residual == null) tile(t, x, m0 * k, k, panel, init, i0, out, o, n);
                    else tileAdd(t, x, m0 * k, k, panel, init, i0, out, o, n, residual);
                } else if (inPlace) {
                    tile(t, x, m0 * k, k, panel, init, i0, out, o, n);
                    MatmulKernels.activate(out, o, n, t, PW, act);
                    if (residual != null) MatmulKernels.store(out, o, n, t, PW, residual, o, n, out, o, n);
                } else {
                    tile(t, x, m0 * k, k, panel, init, i0, tile, 0, PW);
                    MatmulKernels.activate(tile, 0, PW, t, nv, act);
                    MatmulKernels.store(tile, 0, PW, t, nv, residual, o, n, out, o, n);
                }
                m0 += t;
            }
        });
    }

    private static void tile(int rows, float[] x, int x0, int k, float[] panel, float[] init, int i0, float[] dst, int d0, int ds) {
        switch (rows) {
            case 6 -> MatmulKernels.panelTile6(x, x0, k, panel, 0, k, init, i0, dst, d0, ds);
            case 2 -> MatmulKernels.panelTile2(x, x0, k, panel, 0, k, init, i0, dst, d0, ds);
            default -> MatmulKernels.panelTile1(x, x0, k, panel, 0, k, init, i0, dst, d0, ds);
        }
    }

    private static void tileAdd(int rows, float[] x, int x0, int k, float[] panel, float[] init, int i0, float[] dst, int d0, int ds, float[] res) {
        switch (rows) {
            case 6 -> MatmulKernels.panelTile6Add(x, x0, k, panel, 0, k, init, i0, dst, d0, ds, res, d0, ds);
            case 2 -> MatmulKernels.panelTile2Add(x, x0, k, panel, 0, k, init, i0, dst, d0, ds, res, d0, ds);
            default -> MatmulKernels.panelTile1Add(x, x0, k, panel, 0, k, init, i0, dst, d0, ds, res, d0, ds);
        }
    }

    private static void rows(WorkerPool pool, CpuScratch local, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        int k = w.cols, n = w.rows;
        float[] xt = local.panel(PW * k);
        Panels.transpose(x, m, k, xt);
        float[] init = bias == null ? ZEROS : bias;
        pool.run((n + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
            CpuScratch s = pool.scratch(worker);
            int n0 = task * ROWS_PER_TASK, nv = Math.min(ROWS_PER_TASK, n - n0);
            int padded = (nv + 5) / 6 * 6;
            float[] rows = s.rows(padded * k);
            w.decoder.decode(w.data, w.rowBytes, n0, nv, k, rows, 0, s);
            java.util.Arrays.fill(rows, nv * k, padded * k, 0f);
            float[] tb = s.tile(6 * PW);
            for (int j = 0; j < nv; j += 6) {
                MatmulKernels.rowTile6(xt, 0, rows, j * k, k, k, init, bias == null ? 0 : n0 + j, tb);
                MatmulKernels.transposedStore(tb, m, Math.min(6, nv - j), act, out, n0 + j, n, residual, n0 + j, n);
            }
        });
    }

    private static void scalar(WorkerPool pool, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        int k = w.cols, n = w.rows;
        pool.run((n + SCALAR_ROWS - 1) / SCALAR_ROWS, (task, worker) -> {
            CpuScratch s = pool.scratch(worker);
            int n0 = task * SCALAR_ROWS, nv = Math.min(SCALAR_ROWS, n - n0);
            float[] rows = s.rows(nv * k);
            w.decoder.decode(w.data, w.rowBytes, n0, nv, k, rows, 0, s);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < nv; j++) {
                    int o = r * n + n0 + j;
                    float acc = ScalarKernels.dotChain(x, r * k, rows, j * k, k, bias == null ? 0f : bias[n0 + j]);
                    out[o] = ScalarKernels.finish(acc, act, residual, o);
                }
            }
        });
    }
}
