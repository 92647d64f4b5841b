package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;

import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.SequenceLayout;

/**
 * Softmax attention over a packed batch, never crossing sequence boundaries and never materialising padded tensors.
 * One task per (sequence, head, block of query rows). A task builds the panels of its keys (K transposed, PW keys
 * per panel), computes the block's scores with the matmul micro-kernels, turns each row into probabilities
 * ({@link AttentionKernels#softmaxRow}) and multiplies them with V, copied into panels of PW columns of the head.
 * Scores live in the worker's scratch, one block of query rows at a time.
 *
 * <p>Per output the operations are those of {@link ScalarKernels#attentionRow}: score = FMA chain over the head
 * dimension; p = exp(fma(score, scale, -scale * max)) * (1 / in-order sum); out = FMA chain over keys. Under a causal mask
 * a row's chain may carry trailing zero-probability terms, which change at most the sign of a zero.
 */
final class Attend {
    /** Scores one task may hold: query rows per block = this / padded key count (at least 6). */
    private static final int SCORE_BUDGET = 1 << 16;

    private Attend() {
    }

    static void run(WorkerPool pool, float[] q, float[] k, float[] v, float[] out, SequenceLayout layout, Attention a) {
        if (!Simd.ENABLED) {
            scalar(pool, q, k, v, out, layout, a);
            return;
        }
        int heads = a.headCount(), seqs = layout.sequenceCount();
        // Task t in [first[s], first[s+1]) belongs to sequence s: head = (t - first[s]) % heads, block = ... / heads.
        int[] first = new int[seqs + 1];
        for (int s = 0; s < seqs; s++) first[s + 1] = first[s] + heads * blocks(layout.queryLength(s), layout.keyLength(s));
        pool.run(first[seqs], (task, worker) -> {
            int s = sequenceOf(first, task);
            int local = task - first[s];
            head(pool.scratch(worker), q, k, v, out, layout, a, s, local % heads, local / heads);
        });
    }

    private static int rowsPerBlock(int keys) {
        int padded = (keys + PW - 1) / PW * PW;
        return Math.max(6, SCORE_BUDGET / Math.max(1, padded));
    }

    private static int blocks(int queries, int keys) {
        if (queries == 0) return 0;
        int rows = rowsPerBlock(keys);
        return (queries + rows - 1) / rows;
    }

    private static int sequenceOf(int[] first, int task) {
        int lo = 0, hi = first.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= task) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** One (sequence, head, query block). */
    private static void head(CpuScratch s, float[] q, float[] k, float[] v, float[] out, SequenceLayout layout, Attention a,
                             int seq, int h, int block) {
        int d = a.headDim(), heads = a.headCount(), kvh = h / (heads / a.kvHeadCount());
        int qCols = heads * d, kCols = a.kvHeadCount() * d;
        int qs = layout.queryStart(seq), ql = layout.queryLength(seq), ks = layout.keyStart(seq), kl = layout.keyLength(seq);
        int rowsPerBlock = rowsPerBlock(kl);
        int i0 = block * rowsPerBlock, qn = Math.min(rowsPerBlock, ql - i0);
        // Keys any row of this block sees: all of them, or under a causal mask up to the last row's position.
        int kn = a.causal() ? kl - ql + i0 + qn : kl;
        int keyPanels = (kn + PW - 1) / PW, sp = keyPanels * PW;

        float[] kt = s.panel(keyPanels * d * PW);
        for (int p = 0; p < keyPanels; p++) {
            int j0 = p * PW;
            AttentionKernels.packKeys(k, (ks + j0) * kCols + kvh * d, kCols, Math.min(PW, kn - j0), d, kt, p * d * PW);
        }
        float[] scores = s.scores(qn * sp);
        int q0 = (qs + i0) * qCols + h * d;
        for (int r = 0; r < qn; ) {
            int t = MatmulKernels.tileRows(qn - r);
            for (int p = 0; p < keyPanels; p++) {
                tile(t, q, q0 + r * qCols, qCols, kt, p * d * PW, d, scores, r * sp + p * PW, sp);
            }
            r += t;
        }
        for (int r = 0; r < qn; r++) {
            int visible = a.causal() ? kl - ql + i0 + r + 1 : kl;
            AttentionKernels.softmaxRow(scores, r * sp, visible, kn, a.scale());
        }
        int v0 = ks * kCols + kvh * d;
        float[] vp = s.rows(kn * PW);
        float[] tmp = d % PW == 0 ? null : s.tile(6 * PW);
        for (int c0 = 0; c0 < d; c0 += PW) {
            int cols = Math.min(PW, d - c0);
            AttentionKernels.copyColumns(v, v0 + c0, kCols, kn, cols, vp);
            for (int r = 0; r < qn; ) {
                int t = MatmulKernels.tileRows(qn - r);
                int o = q0 + r * qCols + c0;
                if (cols == PW) {
                    tile(t, scores, r * sp, sp, vp, 0, kn, out, o, qCols);
                } else { // a partial panel must not write past the head
                    tile(t, scores, r * sp, sp, vp, 0, kn, tmp, 0, PW);
                    for (int i = 0; i < t; i++) System.arraycopy(tmp, i * PW, out, o + i * qCols, cols);
                }
                r += t;
            }
        }
    }

    private static void tile(int rows, float[] x, int x0, int xs, float[] w, int w0, int kLen, float[] dst, int d0, int ds) {
        switch (rows) {
            case 6 -> MatmulKernels.panelTile6(x, x0, xs, w, w0, kLen, Matmul.ZEROS, 0, dst, d0, ds);
            case 5 -> MatmulKernels.panelTile5(x, x0, xs, w, w0, kLen, Matmul.ZEROS, 0, dst, d0, ds);
            case 4 -> MatmulKernels.panelTile4(x, x0, xs, w, w0, kLen, Matmul.ZEROS, 0, dst, d0, ds);
            case 3 -> MatmulKernels.panelTile3(x, x0, xs, w, w0, kLen, Matmul.ZEROS, 0, dst, d0, ds);
            case 2 -> MatmulKernels.panelTile2(x, x0, xs, w, w0, kLen, Matmul.ZEROS, 0, dst, d0, ds);
            default -> MatmulKernels.panelTile1(x, x0, xs, w, w0, kLen, Matmul.ZEROS, 0, dst, d0, ds);
        }
    }

    private static void scalar(WorkerPool pool, float[] q, float[] k, float[] v, float[] out, SequenceLayout layout, Attention a) {
        int heads = a.headCount();
        pool.run(layout.sequenceCount() * heads, (task, worker) -> {
            int seq = task / heads, h = task % heads;
            float[] p = pool.scratch(worker).scores(layout.keyLength(seq));
            for (int i = 0; i < layout.queryLength(seq); i++) ScalarKernels.attentionRow(q, k, v, out, layout, a, seq, h, i, p);
        });
    }
}
