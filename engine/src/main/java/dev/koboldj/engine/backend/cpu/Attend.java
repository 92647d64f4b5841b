package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.SequenceLayout;

/** Softmax attention per (sequence, head), never crossing sequence boundaries; scores in a per-thread buffer. */
final class Attend {
    private static final ThreadLocal<float[][]> SCORES = ThreadLocal.withInitial(() -> new float[1][0]);

    private Attend() {
    }

    static void run(WorkerPool pool, float[] q, float[] k, float[] v, float[] out, SequenceLayout layout, Attention a) {
        int heads = a.headCount(), d = a.headDim(), group = heads / a.kvHeadCount();
        int qCols = heads * d, kCols = a.kvHeadCount() * d;
        int tasks = layout.sequenceCount() * heads;
        pool.run(tasks, task -> {
            int s = task / heads, h = task % heads, kvh = h / group;
            int qs = layout.queryStart(s), ql = layout.queryLength(s), ks = layout.keyStart(s), kl = layout.keyLength(s);
            float[] scores = scores(kl);
            for (int i = 0; i < ql; i++) {
                int visible = a.causal() ? kl - ql + i + 1 : kl;
                int qo = (qs + i) * qCols + h * d;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    float sc = a.scale() * VectorKernels.dot(q, qo, k, (ks + j) * kCols + kvh * d, d);
                    scores[j] = sc;
                    if (sc > max) max = sc;
                }
                float sum = 0;
                for (int j = 0; j < visible; j++) {
                    float e = (float) Math.exp(scores[j] - max);
                    scores[j] = e;
                    sum += e;
                }
                int oo = (qs + i) * qCols + h * d;
                java.util.Arrays.fill(out, oo, oo + d, 0f);
                float inv = 1f / sum;
                for (int j = 0; j < visible; j++) VectorKernels.axpy(scores[j] * inv, v, (ks + j) * kCols + kvh * d, out, oo, d);
            }
        });
    }

    private static float[] scores(int size) {
        float[][] holder = SCORES.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }
}
