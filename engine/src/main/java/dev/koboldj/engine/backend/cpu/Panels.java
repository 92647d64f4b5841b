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
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int r0 = j * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            for (int i = 0; i < k; i++) {
                int p = i * PW + j;
                panel[p] = rows[r0 + i];
                panel[p + 1] = rows[r1 + i];
                panel[p + 2] = rows[r2 + i];
                panel[p + 3] = rows[r3 + i];
            }
        }
        for (; j < count; j++) {
            int r = j * k;
            for (int i = 0; i < k; i++) panel[i * PW + j] = rows[r + i];
        }
        if (count < PW) {
            for (int i = 0; i < k; i++) java.util.Arrays.fill(panel, i * PW + count, (i + 1) * PW, 0f);
        }
    }

    /** Transposes the first {@code m <= PW} rows of x [m][k] into {@code xt[i*PW + l]}; lanes l >= m are zero. */
    static void transpose(float[] x, int m, int k, float[] xt) {
        pack(x, k, m, xt);
    }
}
