package dev.koboldj.engine.backend.cpu;

import static dev.koboldj.engine.backend.cpu.MatmulKernels.PW;

/**
 * Transpositions into panels: a panel holds {@link MatmulKernels#PW} columns side by side for each k,
 * {@code panel[k*PW + j]}, so a micro-kernel reads the PW values of one k as two vector loads.
 */
final class Panels {
    private Panels() {
    }

    /**
     * Packs {@code count <= PW} rows of {@code k} floats ({@code rows[j*k + i]}) into {@code panel[i*PW + j]};
     * columns j >= count are zero.
     */
    static void pack(float[] rows, int k, int count, float[] panel) {
        pack(rows, 0, k, count, panel, 0);
    }

    /** {@link #pack(float[], int, int, float[])} from {@code rows[r0 + j*k + i]} into {@code panel[p0 + i*PW + j]}. */
    static void pack(float[] rows, int r0, int k, int count, float[] panel, int p0) {
        pack(rows, r0, k, count, panel, p0, 0, k);
    }

    /** {@link #pack(float[], int, int, int, float[], int)} for columns i in [from, to) only. */
    static void pack(float[] rows, int r0, int k, int count, float[] panel, int p0, int from, int to) {
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int a = r0 + j * k, b = a + k, c = b + k, d = c + k;
            for (int i = from; i < to; i++) {
                int p = p0 + i * PW + j;
                panel[p] = rows[a + i];
                panel[p + 1] = rows[b + i];
                panel[p + 2] = rows[c + i];
                panel[p + 3] = rows[d + i];
            }
        }
        for (; j < count; j++) {
            int r = r0 + j * k;
            for (int i = from; i < to; i++) panel[p0 + i * PW + j] = rows[r + i];
        }
        if (count < PW) {
            for (int i = from; i < to; i++) java.util.Arrays.fill(panel, p0 + i * PW + count, p0 + (i + 1) * PW, 0f);
        }
    }
}
