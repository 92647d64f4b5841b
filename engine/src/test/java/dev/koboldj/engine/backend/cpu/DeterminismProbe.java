package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.SequenceLayout;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A fixed workload whose output bits are hashed: matmuls of every fast format on both SIMD paths with bias, GELU and
 * residual, attention, and whole forward passes of synthetic models (given as GGUF paths). {@link CpuDeterminismTest}
 * compares the hash of a cold JVM (forked with -Xint, where the Vector API runs its Java fallback) with a warm one.
 * Run as a program it prints {@code DIGEST <hex>}.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path[] models = Arrays.stream(args).map(Path::of).toArray(Path[]::new);
        System.out.println("DIGEST " + digest(models));
    }

    static String digest(Path... models) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (WorkerPool pool = new WorkerPool(2)) {
            CpuScratch local = new CpuScratch();
            int k = 64, n = 40;
            for (GgmlType type : new GgmlType[]{GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K}) {
                int kk = type == GgmlType.Q4_K ? 256 : k;
                CpuWeights w = new CpuWeights(TestWeights.matrix(type, kk, n, 1, 3));
                float[] bias = Arrays.copyOf(TestWeights.floats(n, 2, 1f), Matmul.paddedLength(n));
                for (int m : new int[]{3, 29}) { // row path, panel path
                    float[] x = TestWeights.floats(m * kk, m, 1f), res = TestWeights.floats(m * n, 4, 1f), out = new float[m * n];
                    Matmul.run(pool, local, x, m, w, bias, Activation.GELU, res, out);
                    update(md, out);
                    Matmul.run(pool, local, x, m, w, null, Activation.SILU, null, out);
                    update(md, out);
                }
            }
            SequenceLayout layout = SequenceLayout.packed(5, 11, 2);
            for (boolean causal : new boolean[]{false, true}) {
                Attention a = new Attention(4, 2, 16, 0.25f, causal);
                float[] q = TestWeights.floats(18 * 64, 5, 2f), kv = TestWeights.floats(18 * 32, 6, 2f), v = TestWeights.floats(18 * 32, 7, 1f);
                float[] out = new float[18 * 64];
                Attend.run(pool, q, kv, v, out, layout, a);
                update(md, out);
            }
        }
        int[][] sequences = {{1, 5, 9, 2}, {1, 7, 7, 7, 3, 4, 11, 12, 2}, {1, 2}, {1, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 2}};
        for (Path model : models) {
            try (EmbeddingModel m = EmbeddingModel.load(model, EmbeddingOptions.defaults().withBackend("cpu").withThreads(2))) {
                for (float[] v : m.embedTokens(sequences)) update(md, v);
                update(md, m.embedTokens(new int[][]{sequences[1]})[0]);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        for (float v : values) b.putInt(Float.floatToRawIntBits(v));
        md.update(b.array());
    }
}
