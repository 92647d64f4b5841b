package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;
import static dev.koboldj.engine.backend.cpu.Simd.LANES;

import dev.koboldj.engine.backend.Activation;

/**
 * {@code out[m][n] = act(bias[n] + x[m] . w[n]) + residual[m][n]} for x [M][K] and a weight of N rows of K. Two SIMD
 * paths and a scalar one, all producing the same bits (see {@link MatmulKernels}):
 * <ul>
 *   <li><b>panel path</b>: one task per panel of {@link MatmulKernels#PW} output columns, sweeping all of x in 6-row
 *       tiles (the last 7-9 rows as two tiles of 3-5: {@link MatmulKernels#tileRows}); a tile is stored with the
 *       residual added, or activated while it is in L1. The panel is the weight's packed copy
 *       ({@link CpuWeights#panels}: F32, F16, Q8_0, Q4_0; every batch size), or else is decoded from the mapped GGUF
 *       bytes and transposed into the worker's scratch once per call (batches above {@link #ROW_PATH_MAX_ROWS} rows,
 *       where that cost is spread thin). A packed panel comes with the sweep's first tile when that has 6 rows
 *       ({@link PackedPanels#panelWithTile6}: Q8_0 expands the panel inside that tile).</li>
 *   <li><b>row path</b> (unpacked weights, smaller batches): x is transposed into K x PW panels, and tasks of
 *       {@link #ROWS_PER_TASK} weight rows, decoded straight from the mapped bytes, broadcast those rows against them
 *       and write transposed tiles (with a one-vector tile when a panel holds at most one vector of rows).</li>
 *   <li><b>vector path</b> (one row, unpacked weights: token-by-token generation): decoded rows, dot products along
 *       k ({@link MatmulKernels#laneDot4}); no lanes idle, but its own summation order.</li>
 *   <li><b>scalar path</b> (SIMD off): {@link ScalarKernels#dotChain} and {@link ScalarKernels#finish} per output.</li>
 * </ul>
 */
final class Matmul {
    /**
     * Unpacked weights take the row path up to this many batch rows ({@code -Dkoboldj.cpu.rowPathMaxRows}): there it
     * costs less to transpose x than to build weight panels (1.5 cycles per weight), above it the panel path wins.
     */
    static final int ROW_PATH_MAX_ROWS = Integer.getInteger("koboldj.cpu.rowPathMaxRows", 256);
    /** Weight rows one row-path task decodes and multiplies (a multiple of the 6 and 12 rows of the row tiles). */
    static final int ROWS_PER_TASK = 24;
    /** Weight rows one scalar-path task decodes at a time. */
    private static final int SCALAR_ROWS = 16;
    /** Chain start values when there is no bias. */
    static final float[] ZEROS = new float[Math.max(PW, 12)];

    private Matmul() {
    }

    /**
     * Runs the matmul for the first {@code m} rows of x. {@code bias} is null or padded with zeros to at least
     * {@link #paddedLength}(N) (tiles read a whole panel of it); {@code local} is scratch of the calling thread (the row
     * path's transposed x); {@code residual} may be {@code out} itself.
     */
    static void run(WorkerPool pool, CpuScratch local, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        if (m <= 0) return;
        if (!Simd.ENABLED) {
            scalar(pool, x, m, w, bias, act, residual, out);
            return;
        }
        PackedPanels packed = w.panels(pool);
        if (packed == null && m == 1) vector(pool, x, w, bias, act, residual, out);
        else if (packed == null && m <= ROW_PATH_MAX_ROWS) rows(pool, local, x, m, w, bias, act, residual, out);
        else panels(pool, x, m, w, packed, bias, act, residual, out);
    }

    /** How long a bias array must be for N outputs: whole panels, plus a row tile's reach past the last row. */
    static int paddedLength(int n) {
        return (n + PW - 1) / PW * PW + PW;
    }

    /** The panel path; {@code packed} holds the weight's panels, or is null to decode each panel into scratch. */
    private static void panels(WorkerPool pool, float[] x, int m, CpuWeights w, PackedPanels packed, float[] bias, Activation activation, float[] residual, float[] out) {
        int k = w.cols, n = w.rows;
        float[] init = bias == null ? ZEROS : bias;
        // Without a residual, and with enough rows to pay for one more dispatch, the activation runs afterwards over whole
        // output rows: a tile's 2-vector rows are too short to keep GELU's long dependency chains busy (0.7 ns per
        // element there, 0.4 over a 1536-float row).
        Activation act = residual == null && m >= 64 ? Activation.NONE : activation;
        // Packed panels cost little to revisit (F16 and quantized ones are expanded by each task that uses them), so large
        // batches are also split by rows: about 8 tasks per thread keep the threads even when the host slows one of them
        // down. A panel transposed from decoded rows is built once, by one task.
        int panelCount = (n + PW - 1) / PW;
        int blocks = packed == null ? 1 : Math.max(1, Math.min((m + 95) / 96, (8 * pool.threads() + panelCount - 1) / panelCount));
        int blockRows = ((m + blocks - 1) / blocks + 5) / 6 * 6;
        int tasks = panelCount * blocks;
        pool.run(tasks, (claimed, worker) -> {
            int task = spread(claimed, tasks, pool.threads());
            int p = task / blocks, mStart = task % blocks * blockRows, mEnd = Math.min(m, mStart + blockRows);
            CpuScratch s = pool.scratch(worker);
            int n0 = p * PW, nv = Math.min(PW, n - n0), i0 = bias == null ? 0 : n0;
            float[] panel;
            int w0;
            int first = mStart;
            if (packed != null && MatmulKernels.tileRows(mEnd - mStart) == 6) {
                // the first tile comes with the panel (Q8_0 expands the panel as that tile runs), stored like the
                // loop's in-place tiles below
                boolean toOut = nv == PW && residual != out;
                int o = mStart * n + n0;
                float[] dst = toOut ? out : s.tile(6 * PW);
                int d0 = toOut ? o : 0, ds = toOut ? n : PW;
                panel = packed.panelWithTile6(p, s, x, mStart * k, k, init, i0, dst, d0, ds);
                w0 = packed.offset(p);
                MatmulKernels.activate(dst, d0, ds, 6, nv, act);
                if (!toOut || residual != null) MatmulKernels.store(dst, d0, ds, 6, nv, residual, o, n, out, o, n);
                first += 6;
            } else if (packed != null) {
                panel = packed.panel(p, s);
                w0 = packed.offset(p);
            } else {
                float[] rows = s.rows(PW * k);
                w.decoder.decode(w.data, w.rowBytes, n0, nv, k, rows, 0, s);
                panel = s.panel(PW * k);
                w0 = 0;
                Panels.pack(rows, k, nv, panel);
            }
            // A whole panel without activation is stored straight to out, the residual added on the way. With an
            // activation the tile is activated in place in out, unless the panel is partial or the residual is out
            // itself: then it goes through scratch.
            boolean direct = nv == PW && act == Activation.NONE;
            boolean inPlace = nv == PW && residual != out;
            float[] tile = direct || inPlace ? null : s.tile(6 * PW);
            for (int m0 = first; m0 < mEnd; ) {
                int t = MatmulKernels.tileRows(mEnd - m0);
                int o = m0 * n + n0;
                if (direct) {
                    if (residual == null) tile(t, x, m0 * k, k, panel, w0, init, i0, out, o, n);
                    else tileAdd(t, x, m0 * k, k, panel, w0, init, i0, out, o, n, residual);
                } else if (inPlace) {
                    tile(t, x, m0 * k, k, panel, w0, init, i0, out, o, n);
                    MatmulKernels.activate(out, o, n, t, PW, act);
                    if (residual != null) MatmulKernels.store(out, o, n, t, PW, residual, o, n, out, o, n);
                } else {
                    tile(t, x, m0 * k, k, panel, w0, init, i0, tile, 0, PW);
                    MatmulKernels.activate(tile, 0, PW, t, nv, act);
                    MatmulKernels.store(tile, 0, PW, t, nv, residual, o, n, out, o, n);
                }
                m0 += t;
            }
        });
        if (act != activation) {
            int chunks = Math.min(m, 4 * pool.threads());
            pool.run(chunks, (c, worker) -> {
                int r0 = (int) ((long) m * c / chunks), r1 = (int) ((long) m * (c + 1) / chunks);
                MatmulKernels.activate(out, r0 * n, n, r1 - r0, n, activation);
            });
        }
    }

    /**
     * The task the {@code t}-th claim runs: the tasks are cut into one contiguous region per thread and claims take the
     * regions' items in turn (t = 0, 1, .. gives regions 0, 1, .., each at item 0, then each at item 1, ...). Threads
     * claim in turn, so each works inside its own region instead of beside another thread: neighbouring panels share a
     * cache line in every output row (a panel row is 128 or 64 bytes, arrays are not line-aligned), and two threads
     * storing beside each other moved those lines back and forth (M=32 Q8_0 384x384 on 2 threads: 67-73% -> 75-82% of
     * peak). A bijection on [0, n) for any n and thread count.
     */
    static int spread(int t, int n, int threads) {
        int q = n / threads, r = n % threads;
        int region = t < q * threads ? t % threads : t - q * threads, item = t < q * threads ? t / threads : q;
        return region * q + Math.min(region, r) + item;
    }

    private static void tile(int rows, float[] x, int x0, int k, float[] panel, int w0, float[] init, int i0, float[] dst, int d0, int ds) {
        switch (rows) {
            case 6 -> MatmulKernels.panelTile6(x, x0, k, panel, w0, k, init, i0, dst, d0, ds);
            case 5 -> MatmulKernels.panelTile5(x, x0, k, panel, w0, k, init, i0, dst, d0, ds);
            case 4 -> MatmulKernels.panelTile4(x, x0, k, panel, w0, k, init, i0, dst, d0, ds);
            case 3 -> MatmulKernels.panelTile3(x, x0, k, panel, w0, k, init, i0, dst, d0, ds);
            case 2 -> MatmulKernels.panelTile2(x, x0, k, panel, w0, k, init, i0, dst, d0, ds);
            default -> MatmulKernels.panelTile1(x, x0, k, panel, w0, k, init, i0, dst, d0, ds);
        }
    }

    private static void tileAdd(int rows, float[] x, int x0, int k, float[] panel, int w0, float[] init, int i0, float[] dst, int d0, int ds, float[] res) {
        switch (rows) {
            case 6 -> MatmulKernels.panelTile6Add(x, x0, k, panel, w0, k, init, i0, dst, d0, ds, res, d0, ds);
            case 5 -> MatmulKernels.panelTile5Add(x, x0, k, panel, w0, k, init, i0, dst, d0, ds, res, d0, ds);
            case 4 -> MatmulKernels.panelTile4Add(x, x0, k, panel, w0, k, init, i0, dst, d0, ds, res, d0, ds);
            case 3 -> MatmulKernels.panelTile3Add(x, x0, k, panel, w0, k, init, i0, dst, d0, ds, res, d0, ds);
            case 2 -> MatmulKernels.panelTile2Add(x, x0, k, panel, w0, k, init, i0, dst, d0, ds, res, d0, ds);
            default -> MatmulKernels.panelTile1Add(x, x0, k, panel, w0, k, init, i0, dst, d0, ds, res, d0, ds);
        }
    }

    private static void rows(WorkerPool pool, CpuScratch local, float[] x, int m, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        int k = w.cols, n = w.rows, xPanels = (m + PW - 1) / PW;
        float[] xt = local.panel(xPanels * PW * k);
        // Transposing x is split over the threads too (by columns when there are few panels); pieces of >= 128 columns.
        int splits = Math.max(1, Math.min((2 * pool.threads() + xPanels - 1) / xPanels, k / 128));
        pool.run(xPanels * splits, (piece, worker) -> {
            int p = piece / splits, sp = piece % splits;
            Panels.pack(x, p * PW * k, k, Math.min(PW, m - p * PW), xt, p * k * PW, k * sp / splits, k * (sp + 1) / splits);
        });
        float[] init = bias == null ? ZEROS : bias;
        pool.run((n + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
            CpuScratch s = pool.scratch(worker);
            int n0 = task * ROWS_PER_TASK, nv = Math.min(ROWS_PER_TASK, n - n0);
            int padded = (nv + 11) / 12 * 12;
            float[] rows = s.rows(padded * k);
            w.decoder.decode(w.data, w.rowBytes, n0, nv, k, rows, 0, s);
            java.util.Arrays.fill(rows, nv * k, padded * k, 0f);
            float[] tb = s.tile(12 * PW);
            for (int p = 0; p < xPanels; p++) {
                int mp = Math.min(PW, m - p * PW), x0 = p * k * PW, o = p * PW * n + n0;
                int step = mp > LANES ? 6 : 12; // a panel with at most one vector of rows uses the one-vector tile
                for (int j = 0; j < nv; j += step) {
                    int i0 = bias == null ? 0 : n0 + j;
                    if (step == 6) MatmulKernels.rowTile6(xt, x0, rows, j * k, k, k, init, i0, tb);
                    else MatmulKernels.rowTile12(xt, x0, rows, j * k, k, k, init, i0, tb);
                    MatmulKernels.transposedStore(tb, mp, Math.min(step, nv - j), act, out, o + j, n, residual, o + j, n);
                }
            }
        });
    }

    /** One row of x against unpacked weights (token-by-token generation): decoded rows, four dot products at a time. */
    private static void vector(WorkerPool pool, float[] x, CpuWeights w, float[] bias, Activation act, float[] residual, float[] out) {
        int k = w.cols, n = w.rows;
        float[] init = bias == null ? ZEROS : bias;
        pool.run((n + ROWS_PER_TASK - 1) / ROWS_PER_TASK, (task, worker) -> {
            CpuScratch s = pool.scratch(worker);
            int n0 = task * ROWS_PER_TASK, nv = Math.min(ROWS_PER_TASK, n - n0);
            int padded = (nv + 3) / 4 * 4; // ROWS_PER_TASK is a multiple of 4, so the padding stays inside the task
            float[] rows = s.rows(padded * k);
            w.decoder.decode(w.data, w.rowBytes, n0, nv, k, rows, 0, s);
            java.util.Arrays.fill(rows, nv * k, padded * k, 0f);
            float[] tb = s.tile(Math.max(4 * LANES, ROWS_PER_TASK));
            float[] lanes = s.scores(4 * LANES);
            for (int j = 0; j < padded; j += 4) MatmulKernels.laneDot4(x, rows, j * k, k, init, bias == null ? 0 : n0 + j, lanes, tb, j);
            for (int j = 0; j < nv; j++) out[n0 + j] = ScalarKernels.finish(tb[j], act, residual, n0 + j);
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
