package dev.koboldj.server.cli;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

/** A tiny synthetic BERT-style GGUF written with GgufWriter. */
final class Fixtures {
    private Fixtures() {
    }

    static float[] gaussian(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static Metadata bertMetadata() {
        Metadata m = new Metadata();
        m.putString("general.architecture", "bert");
        m.putString("general.name", "tiny-bert");
        m.putUInt32("general.file_type", 0);
        m.putUInt32("bert.context_length", 512);
        m.putUInt32("bert.embedding_length", 256);
        m.putUInt32("bert.block_count", 1);
        m.putUInt32("bert.attention.head_count", 4);
        m.putUInt32("bert.pooling_type", 2);
        m.putString("tokenizer.ggml.model", "bert");
        m.putStringArray("tokenizer.ggml.tokens", new String[]{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "c", "d"});
        return m;
    }

    /** token_embd 256 x 8, one 256 x 256 weight, a bias and a norm (F32), and a Q8_0 256 x 4 weight. */
    static Path tinyBert(Path file) throws IOException {
        GgufWriter w = new GgufWriter(bertMetadata());
        w.addTensor("token_embd.weight", gaussian(1, 256 * 8), 256, 8);
        w.addTensor("blk.0.attn_q.weight", gaussian(2, 256 * 256), 256, 256);
        w.addTensor("blk.0.attn_q.bias", gaussian(3, 256), 256);
        w.addTensor("blk.0.attn_output_norm.weight", gaussian(4, 256), 256);
        w.addTensor("blk.0.ffn_up.weight", GgmlType.Q8_0, new long[]{256, 4}, MemorySegment.ofArray(q8Zeros(256 * 4)));
        w.write(file);
        return file;
    }

    /** Q8_0 blocks with d = 1.0 and all quants 0. */
    private static byte[] q8Zeros(int n) {
        byte[] b = new byte[n / 32 * 34];
        for (int i = 0; i < b.length; i += 34) b[i + 1] = 0x3C;
        return b;
    }
}
