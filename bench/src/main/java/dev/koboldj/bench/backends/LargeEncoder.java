package dev.koboldj.bench.backends;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded random weights in the shape of a large encoder, for throughput measurements only (the vectors mean
 * nothing). Written by our GgufWriter, streamed row by row, never held in memory whole.
 */
final class LargeEncoder {
    private LargeEncoder() {
    }

    /** XLM-RoBERTa large as bge-m3 has it: 24 layers, 1024 wide, 16 heads, 4096 feed-forward, 8194 positions. */
    static void writeXlmRobertaLarge(Path out, long seed) throws IOException {
        int hidden = 1024, heads = 16, ffn = 4096, layers = 24, positions = 8194, vocab = 250002;
        Metadata md = new Metadata();
        md.putString("general.architecture", "bert");
        md.putString("general.name", "synthetic-xlm-roberta-large");
        md.putUInt32("bert.context_length", positions);
        md.putUInt32("bert.embedding_length", hidden);
        md.putUInt32("bert.feed_forward_length", ffn);
        md.putUInt32("bert.block_count", layers);
        md.putUInt32("bert.attention.head_count", heads);
        md.putFloat32("bert.attention.layer_norm_epsilon", 1e-5f);
        md.putBool("bert.attention.causal", false);
        md.putUInt32("bert.pooling_type", 2);
        md.putUInt32("general.file_type", 1);
        GgufWriter w = new GgufWriter(md);
        SplittableRandom root = new SplittableRandom(seed);
        matrix(w, "token_embd.weight", vocab, hidden, GgmlType.F16, root.split());
        matrix(w, "position_embd.weight", positions, hidden, GgmlType.F16, root.split());
        matrix(w, "token_types.weight", 1, hidden, GgmlType.F32, root.split());
        vector(w, "token_embd_norm.weight", hidden, 1f);
        vector(w, "token_embd_norm.bias", hidden, 0f);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            for (String p : new String[]{"attn_q", "attn_k", "attn_v", "attn_output"}) {
                matrix(w, b + p + ".weight", hidden, hidden, GgmlType.F16, root.split());
                vector(w, b + p + ".bias", hidden, 0f);
            }
            vector(w, b + "attn_output_norm.weight", hidden, 1f);
            vector(w, b + "attn_output_norm.bias", hidden, 0f);
            matrix(w, b + "ffn_up.weight", ffn, hidden, GgmlType.F16, root.split());
            vector(w, b + "ffn_up.bias", ffn, 0f);
            matrix(w, b + "ffn_down.weight", hidden, ffn, GgmlType.F16, root.split());
            vector(w, b + "ffn_down.bias", hidden, 0f);
            vector(w, b + "layer_output_norm.weight", hidden, 1f);
            vector(w, b + "layer_output_norm.bias", hidden, 0f);
        }
        w.write(out);
    }

    private static void vector(GgufWriter w, String name, int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        w.addTensor(name, v, n);
    }

    /** {@code rows} rows of {@code cols}, uniform in [-0.05, 0.05), F16 or F32. */
    private static void matrix(GgufWriter w, String name, int rows, int cols, GgmlType type, SplittableRandom r) {
        w.addTensor(name, type, new long[]{cols, rows}, out -> {
            ByteBuffer row = ByteBuffer.allocate(cols * (type == GgmlType.F16 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows; i++) {
                row.clear();
                for (int j = 0; j < cols; j++) {
                    float v = (float) (r.nextDouble() * 0.1 - 0.05);
                    if (type == GgmlType.F16) row.putShort(Float.floatToFloat16(v));
                    else row.putFloat(v);
                }
                out.write(row.array());
            }
        });
    }
}
