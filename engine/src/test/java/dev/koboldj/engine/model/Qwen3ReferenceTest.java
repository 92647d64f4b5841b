package dev.koboldj.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.quant.Quants;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.engine.testing.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama.cpp 4.2.0 cannot run qwen3, so the Qwen3 model is checked against a plain double-precision reference written
 * from the Hugging Face Qwen3 definition (modeling_qwen3: RMSNorm, per-head q/k norms, rotate-half rotary, grouped-
 * query causal attention, SiLU-gated MLP, final norm, last-token pooling). The blocks Qwen3 shares with Qwen2 are
 * proved against llama.cpp in {@link SyntheticVsLlamaCppTest}.
 */
class Qwen3ReferenceTest {
    @TempDir
    Path dir;

    @Test
    void qwen3MatchesTheReferenceDefinition() throws IOException {
        Path file = SyntheticModels.qwen(dir, "qwen3", 21, GgmlType.F32);
        int[][] inputs = {{5, 80, 97, 300}, {7}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, {260, 261, 262}};
        try (EmbeddingModel ours = EmbeddingModel.load(file, EmbeddingOptions.defaults().withBackend("cpu").withNormalize(false));
             GgufFile g = GgufFile.open(file)) {
            float[][] vectors = ours.embedTokens(inputs);
            for (int i = 0; i < inputs.length; i++) {
                double c = Vectors.cosine(reference(g, inputs[i]), vectors[i]);
                assertTrue(c >= 0.99999, "cosine " + c + " for input " + i);
            }
        }
    }

    private static double[][] matrix(GgufFile g, String name) {
        var t = g.tensor(name);
        float[] f = new float[(int) t.elementCount()];
        Quants.codec(t.type()).dequantize(g.data(t), 0, f, 0, f.length);
        int cols = (int) t.dim(0), rows = f.length / cols;
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[r][c] = f[r * cols + c];
        return m;
    }

    private static double[] vector(GgufFile g, String name) {
        return matrix(g, name)[0];
    }

    private static double[] linear(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int o = 0; o < w.length; o++) for (int i = 0; i < x.length; i++) y[o] += w[o][i] * x[i];
        return y;
    }

    private static double[] rmsNorm(double[] x, int from, int n, double[] weight, double eps) {
        double ms = 0;
        for (int i = 0; i < n; i++) ms += x[from + i] * x[from + i];
        double inv = 1 / Math.sqrt(ms / n + eps);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[from + i] * inv * weight[i];
        return out;
    }

    /** Last-token hidden state of the reference forward pass. */
    static float[] reference(GgufFile g, int[] ids) {
        Metadata md = g.metadata();
        int hidden = md.getInt("qwen3.embedding_length"), heads = md.getInt("qwen3.attention.head_count");
        int kvHeads = md.getInt("qwen3.attention.head_count_kv"), d = md.getInt("qwen3.attention.key_length");
        int layers = md.getInt("qwen3.block_count");
        double eps = md.getFloat("qwen3.attention.layer_norm_rms_epsilon"), base = md.getFloat("qwen3.rope.freq_base");
        int n = ids.length;
        double[][] emb = matrix(g, "token_embd.weight");
        double[][] h = new double[n][];
        for (int t = 0; t < n; t++) h[t] = emb[ids[t]].clone();
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            double[][] wq = matrix(g, b + "attn_q.weight"), wk = matrix(g, b + "attn_k.weight"), wv = matrix(g, b + "attn_v.weight");
            double[][] wo = matrix(g, b + "attn_output.weight");
            double[] qn = vector(g, b + "attn_q_norm.weight"), kn = vector(g, b + "attn_k_norm.weight");
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] x = rmsNorm(h[t], 0, hidden, vector(g, b + "attn_norm.weight"), eps);
                q[t] = linear(wq, x);
                k[t] = linear(wk, x);
                v[t] = linear(wv, x);
                for (int hh = 0; hh < heads; hh++) System.arraycopy(rmsNorm(q[t], hh * d, d, qn, eps), 0, q[t], hh * d, d);
                for (int hh = 0; hh < kvHeads; hh++) System.arraycopy(rmsNorm(k[t], hh * d, d, kn, eps), 0, k[t], hh * d, d);
                rotateHalf(q[t], heads, d, t, base);
                rotateHalf(k[t], kvHeads, d, t, base);
            }
            double[][] attn = new double[n][heads * d];
            for (int t = 0; t < n; t++) {
                for (int hh = 0; hh < heads; hh++) {
                    int kvh = hh / (heads / kvHeads);
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        for (int i = 0; i < d; i++) s[j] += q[t][hh * d + i] * k[j][kvh * d + i];
                        s[j] /= Math.sqrt(d);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j <= t; j++) for (int i = 0; i < d; i++) attn[t][hh * d + i] += s[j] / sum * v[j][kvh * d + i];
                }
            }
            double[][] gate = matrix(g, b + "ffn_gate.weight"), up = matrix(g, b + "ffn_up.weight"), down = matrix(g, b + "ffn_down.weight");
            for (int t = 0; t < n; t++) {
                double[] o = linear(wo, attn[t]);
                for (int i = 0; i < hidden; i++) h[t][i] += o[i];
                double[] x = rmsNorm(h[t], 0, hidden, vector(g, b + "ffn_norm.weight"), eps);
                double[] gt = linear(gate, x), u = linear(up, x);
                for (int i = 0; i < gt.length; i++) gt[i] = gt[i] / (1 + Math.exp(-gt[i])) * u[i];
                double[] y = linear(down, gt);
                for (int i = 0; i < hidden; i++) h[t][i] += y[i];
            }
        }
        double[] last = rmsNorm(h[n - 1], 0, hidden, vector(g, "output_norm.weight"), eps);
        float[] out = new float[hidden];
        for (int i = 0; i < hidden; i++) out[i] = (float) last[i];
        return out;
    }

    /** HF rotary: x*cos + rotate_half(x)*sin with rotate_half(x) = [-x2, x1] over each head's halves. */
    private static void rotateHalf(double[] x, int heads, int d, int pos, double base) {
        int half = d / 2;
        for (int hh = 0; hh < heads; hh++) {
            for (int i = 0; i < half; i++) {
                double theta = pos / Math.pow(base, 2.0 * i / d);
                double a = x[hh * d + i], b = x[hh * d + i + half];
                x[hh * d + i] = a * Math.cos(theta) - b * Math.sin(theta);
                x[hh * d + i + half] = b * Math.cos(theta) + a * Math.sin(theta);
            }
        }
    }
}
