package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.SequenceLayout;
import org.junit.jupiter.api.Test;

/**
 * {@link Attend} against its scalar twin {@link ScalarKernels#attentionRow}: equal values (a causal row may differ
 * only in the sign of a zero) over packed sequences of odd lengths, causal masks with a KV cache running ahead of the
 * queries, grouped-query heads, head sizes that leave a partial panel, and sequences long enough to be split into
 * blocks of query rows.
 */
class CpuAttentionTest {
    @Test
    void bidirectionalPackedSequences() {
        check(SequenceLayout.packed(1, 5, 17, 38, 2), new Attention(4, 4, 32, 0.17f, false));
        check(SequenceLayout.packed(7, 12), new Attention(3, 3, 8, 0.35f, false));
        check(SequenceLayout.packed(9, 4, 23), new Attention(2, 2, 40, 0.15f, false));
    }

    @Test
    void causalWithGroupedQueryHeadsAndAKeyCache() {
        check(SequenceLayout.packed(6, 13, 1), new Attention(8, 2, 16, 0.25f, true));
        // Queries are the last rows of longer key ranges (a KV cache): 3 new tokens after 20 cached ones, and 1 after 40.
        check(new SequenceLayout(new int[]{0, 3}, new int[]{3, 1}, new int[]{0, 23}, new int[]{23, 41}), new Attention(4, 1, 24, 0.2f, true));
    }

    @Test
    void longSequencesSplitIntoQueryBlocks() {
        check(SequenceLayout.packed(700), new Attention(2, 2, 16, 0.25f, false));
        check(SequenceLayout.packed(300, 450), new Attention(2, 1, 32, 0.18f, true));
    }

    private static void check(SequenceLayout layout, Attention a) {
        int qRows = 0, kRows = 0;
        for (int s = 0; s < layout.sequenceCount(); s++) {
            qRows = Math.max(qRows, layout.queryStart(s) + layout.queryLength(s));
            kRows = Math.max(kRows, layout.keyStart(s) + layout.keyLength(s));
        }
        int qCols = a.headCount() * a.headDim(), kCols = a.kvHeadCount() * a.headDim();
        float[] q = TestWeights.floats(qRows * qCols, 1, 2f), k = TestWeights.floats(kRows * kCols, 2, 2f), v = TestWeights.floats(kRows * kCols, 3, 1f);
        float[] out = new float[qRows * qCols], expected = new float[qRows * qCols];
        try (WorkerPool pool = new WorkerPool(3)) {
            Attend.run(pool, q, k, v, out, layout, a);
        }
        float[] p = new float[kRows];
        for (int s = 0; s < layout.sequenceCount(); s++) {
            for (int h = 0; h < a.headCount(); h++) {
                for (int i = 0; i < layout.queryLength(s); i++) ScalarKernels.attentionRow(q, k, v, expected, layout, a, s, h, i, p);
            }
        }
        for (int i = 0; i < expected.length; i++) {
            int index = i;
            assertEquals(expected[i], out[i], 0f, () -> "element " + index + " (row " + index / qCols + ") of " + layout + " " + a);
        }
    }
}
