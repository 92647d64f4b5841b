package dev.koboldj.engine.testing;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.MetadataArray;
import dev.koboldj.engine.gguf.ValueType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny models with seeded random weights, written by our GgufWriter in the layouts llama.cpp loads: a BERT with a
 * WordPiece vocabulary, an XLM-RoBERTa-shaped BERT with a Unigram (t5) vocabulary, a nomic-bert, and Qwen2/Qwen3
 * decoders with a byte-level BPE vocabulary.
 */
public final class SyntheticModels {
    public static final int HIDDEN = 64, HEADS = 4, FFN = 96, LAYERS = 2, CONTEXT = 128;

    /** Encoder dimensions. {@link #TINY} rows fit the 32-element formats; {@link #WIDE} rows fit the 256-element K-quants. */
    public record Shape(int hidden, int heads, int ffn, int layers) {
    }

    public static final Shape TINY = new Shape(HIDDEN, HEADS, FFN, LAYERS);
    public static final Shape WIDE = new Shape(256, 4, 512, 2);
    static final String[] WORDS = {"the", "quick", "brown", "fox", "jump", "over", "lazy", "dog", "hello", "world", "embed", "java",
            "model", "vector", "search", "fast", "token", "text", "a", "is", "of", "and", "to", "in"};

    private SyntheticModels() {
    }

    /** Sentences made of the synthetic vocabularies' words. */
    public static List<String> sentences() {
        return List.of("the quick brown fox", "hello world", "java model vector search is fast", "a lazy dog",
                "the fox and the dog jump over a text token", "embed", "search in the world of vectors and models");
    }

    private static final class Weights {
        final Random r;
        final GgufWriter w;
        final GgmlType matrixType;

        Weights(long seed, Metadata md, GgmlType matrixType) {
            this.r = new Random(seed);
            this.w = new GgufWriter(md);
            this.matrixType = matrixType;
        }

        float[] gaussian(int n, double scale, double mean) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float) (mean + scale * r.nextGaussian());
            return a;
        }

        /** A matrix of {@code rows} rows of {@code cols}, stored as GGUF dims {cols, rows}. */
        void matrix(String name, int rows, int cols, double scale) {
            float[] v = gaussian(rows * cols, scale, 0);
            GgmlType t = dev.koboldj.engine.imports.TensorEncoder.typeFor(name, new long[]{cols, rows}, matrixType);
            w.addTensor(name, t, new long[]{cols, rows}, out -> dev.koboldj.engine.imports.TensorEncoder.encode(v, t, out));
        }

        void vector(String name, int n, double scale, double mean) {
            w.addTensor(name, gaussian(n, scale, mean), n);
        }

        void norm(String name, int n, boolean bias) {
            vector(name + ".weight", n, 0.1, 1.0);
            if (bias) vector(name + ".bias", n, 0.05, 0);
        }
    }

    /** BERT (MiniLM-shaped) with a WordPiece vocabulary; XLM-RoBERTa-shaped when {@code xlmRoberta}. */
    public static Path bert(Path dir, long seed, boolean xlmRoberta, GgmlType matrixType) throws IOException {
        return bert(dir, seed, xlmRoberta, matrixType, TINY);
    }

    public static Path bert(Path dir, long seed, boolean xlmRoberta, GgmlType matrixType, Shape shape) throws IOException {
        final int HIDDEN = shape.hidden(), HEADS = shape.heads(), FFN = shape.ffn(), LAYERS = shape.layers();
        Metadata md = new Metadata();
        md.putString("general.architecture", "bert");
        md.putString("general.name", xlmRoberta ? "synthetic-xlm-roberta" : "synthetic-bert");
        md.putUInt32("bert.context_length", CONTEXT);
        md.putUInt32("bert.embedding_length", HIDDEN);
        md.putUInt32("bert.feed_forward_length", FFN);
        md.putUInt32("bert.block_count", LAYERS);
        md.putUInt32("bert.attention.head_count", HEADS);
        md.putFloat32("bert.attention.layer_norm_epsilon", xlmRoberta ? 1e-5f : 1e-12f);
        md.putBool("bert.attention.causal", false);
        md.putUInt32("bert.pooling_type", xlmRoberta ? 2 : 1);
        int vocab = xlmRoberta ? unigramVocab(md) : wordPieceVocab(md);
        md.putUInt32("tokenizer.ggml.token_type_count", xlmRoberta ? 1 : 2);
        Weights w = new Weights(seed, md, matrixType);
        w.matrix("token_embd.weight", vocab, HIDDEN, 0.5);
        w.matrix("position_embd.weight", CONTEXT, HIDDEN, 0.2);
        w.matrix("token_types.weight", xlmRoberta ? 1 : 2, HIDDEN, 0.2);
        w.norm("token_embd_norm", HIDDEN, true);
        for (int i = 0; i < LAYERS; i++) {
            String b = "blk." + i + ".";
            for (String p : new String[]{"attn_q", "attn_k", "attn_v", "attn_output"}) {
                w.matrix(b + p + ".weight", HIDDEN, HIDDEN, 0.15);
                w.vector(b + p + ".bias", HIDDEN, 0.05, 0);
            }
            w.norm(b + "attn_output_norm", HIDDEN, true);
            w.matrix(b + "ffn_up.weight", FFN, HIDDEN, 0.15);
            w.vector(b + "ffn_up.bias", FFN, 0.05, 0);
            w.matrix(b + "ffn_down.weight", HIDDEN, FFN, 0.15);
            w.vector(b + "ffn_down.bias", HIDDEN, 0.05, 0);
            w.norm(b + "layer_output_norm", HIDDEN, true);
        }
        Path out = dir.resolve(xlmRoberta ? "xlm-roberta.gguf" : "bert.gguf");
        w.w.write(out);
        return out;
    }

    /** nomic-bert: fused QKV, rotary positions, SwiGLU, no biases in projections. */
    public static Path nomicBert(Path dir, long seed, GgmlType matrixType) throws IOException {
        Metadata md = new Metadata();
        md.putString("general.architecture", "nomic-bert");
        md.putString("general.name", "synthetic-nomic-bert");
        md.putUInt32("nomic-bert.context_length", CONTEXT);
        md.putUInt32("nomic-bert.embedding_length", HIDDEN);
        md.putUInt32("nomic-bert.feed_forward_length", FFN);
        md.putUInt32("nomic-bert.block_count", LAYERS);
        md.putUInt32("nomic-bert.attention.head_count", HEADS);
        md.putFloat32("nomic-bert.attention.layer_norm_epsilon", 1e-12f);
        md.putBool("nomic-bert.attention.causal", false);
        md.putUInt32("nomic-bert.pooling_type", 1);
        md.putFloat32("nomic-bert.rope.freq_base", 1000f);
        int vocab = wordPieceVocab(md);
        md.putUInt32("tokenizer.ggml.token_type_count", 2);
        Weights w = new Weights(seed, md, matrixType);
        w.matrix("token_embd.weight", vocab, HIDDEN, 0.5);
        w.matrix("token_types.weight", 2, HIDDEN, 0.2);
        w.norm("token_embd_norm", HIDDEN, true);
        for (int i = 0; i < LAYERS; i++) {
            String b = "blk." + i + ".";
            w.matrix(b + "attn_qkv.weight", 3 * HIDDEN, HIDDEN, 0.15);
            w.matrix(b + "attn_output.weight", HIDDEN, HIDDEN, 0.15);
            w.norm(b + "attn_output_norm", HIDDEN, true);
            w.matrix(b + "ffn_up.weight", FFN, HIDDEN, 0.15);
            w.matrix(b + "ffn_gate.weight", FFN, HIDDEN, 0.15);
            w.matrix(b + "ffn_down.weight", HIDDEN, FFN, 0.15);
            w.norm(b + "layer_output_norm", HIDDEN, true);
        }
        Path out = dir.resolve("nomic-bert.gguf");
        w.w.write(out);
        return out;
    }

    /** A Qwen2 ("qwen2": q/k/v biases) or Qwen3 ("qwen3": per-head q/k RMS norms, wider heads) decoder with GQA. */
    public static Path qwen(Path dir, String arch, long seed, GgmlType matrixType) throws IOException {
        return qwen(dir, arch, seed, matrixType, LAYERS);
    }

    public static Path qwen(Path dir, String arch, long seed, GgmlType matrixType, int layers) throws IOException {
        boolean qwen3 = arch.equals("qwen3");
        int heads = 4, kvHeads = 2, headDim = qwen3 ? 32 : HIDDEN / heads;
        Metadata md = new Metadata();
        md.putString("general.architecture", arch);
        md.putString("general.name", "synthetic-" + arch);
        md.putUInt32(arch + ".context_length", CONTEXT);
        md.putUInt32(arch + ".embedding_length", HIDDEN);
        md.putUInt32(arch + ".feed_forward_length", FFN);
        md.putUInt32(arch + ".block_count", layers);
        md.putUInt32(arch + ".attention.head_count", heads);
        md.putUInt32(arch + ".attention.head_count_kv", kvHeads);
        if (qwen3) {
            md.putUInt32(arch + ".attention.key_length", headDim);
            md.putUInt32(arch + ".attention.value_length", headDim);
        }
        md.putFloat32(arch + ".rope.freq_base", 1000000f);
        md.putFloat32(arch + ".attention.layer_norm_rms_epsilon", 1e-6f);
        md.putUInt32(arch + ".pooling_type", 3);
        int vocab = byteLevelBpeVocab(md);
        Weights w = new Weights(seed, md, matrixType);
        w.matrix("token_embd.weight", vocab, HIDDEN, 0.5);
        for (int i = 0; i < layers; i++) {
            String b = "blk." + i + ".";
            w.norm(b + "attn_norm", HIDDEN, false);
            w.matrix(b + "attn_q.weight", heads * headDim, HIDDEN, 0.15);
            w.matrix(b + "attn_k.weight", kvHeads * headDim, HIDDEN, 0.15);
            w.matrix(b + "attn_v.weight", kvHeads * headDim, HIDDEN, 0.15);
            if (qwen3) {
                w.norm(b + "attn_q_norm", headDim, false);
                w.norm(b + "attn_k_norm", headDim, false);
            } else {
                w.vector(b + "attn_q.bias", heads * headDim, 0.05, 0);
                w.vector(b + "attn_k.bias", kvHeads * headDim, 0.05, 0);
                w.vector(b + "attn_v.bias", kvHeads * headDim, 0.05, 0);
            }
            w.matrix(b + "attn_output.weight", HIDDEN, heads * headDim, 0.15);
            w.norm(b + "ffn_norm", HIDDEN, false);
            w.matrix(b + "ffn_gate.weight", FFN, HIDDEN, 0.15);
            w.matrix(b + "ffn_up.weight", FFN, HIDDEN, 0.15);
            w.matrix(b + "ffn_down.weight", HIDDEN, FFN, 0.15);
        }
        w.norm("output_norm", HIDDEN, false);
        Path out = dir.resolve(arch + ".gguf");
        w.w.write(out);
        return out;
    }

    /** BERT WordPiece vocabulary in llama.cpp's phantom-space form: word starts get "▁", "##" continuations lose it. */
    static int wordPieceVocab(Metadata md) {
        List<String> tokens = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        List<Integer> types = new ArrayList<>(List.of(3, 2, 3, 3, 3));
        for (char c = 'a'; c <= 'z'; c++) {
            tokens.add("▁" + c);
            types.add(1);
            tokens.add(String.valueOf(c));
            types.add(1);
        }
        for (String p : new String[]{".", ",", "!", "?"}) {
            tokens.add("▁" + p);
            types.add(1);
        }
        for (String word : WORDS) {
            if (!tokens.contains("▁" + word)) {
                tokens.add("▁" + word);
                types.add(1);
            }
        }
        md.putString("tokenizer.ggml.model", "bert");
        md.putStringArray("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        md.putInt32Array("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        md.putUInt32("tokenizer.ggml.padding_token_id", 0);
        md.putUInt32("tokenizer.ggml.unknown_token_id", 1);
        md.putUInt32("tokenizer.ggml.bos_token_id", 2);
        md.putUInt32("tokenizer.ggml.cls_token_id", 2);
        md.putUInt32("tokenizer.ggml.seperator_token_id", 3);
        md.putUInt32("tokenizer.ggml.mask_token_id", 4);
        md.putBool("tokenizer.ggml.add_bos_token", true);
        md.putBool("tokenizer.ggml.add_eos_token", false);
        return tokens.size();
    }

    /** Unigram (t5) vocabulary as XLM-RoBERTa files carry it: pieces with log-probability scores. */
    static int unigramVocab(Metadata md) {
        List<String> tokens = new ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(3, 3, 3, 2));
        for (String word : WORDS) {
            tokens.add("▁" + word);
            scores.add(-2f - word.length() * 0.1f);
            types.add(1);
        }
        for (char c = 'a'; c <= 'z'; c++) {
            tokens.add(String.valueOf(c));
            scores.add(-8f);
            types.add(1);
            if (tokens.contains("▁" + c)) continue;
            tokens.add("▁" + c);
            scores.add(-7f);
            types.add(1);
        }
        tokens.add("▁");
        scores.add(-5f);
        types.add(1);
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        md.putString("tokenizer.ggml.model", "t5");
        md.putStringArray("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        md.putFloatArray("tokenizer.ggml.scores", s);
        md.putInt32Array("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        md.putUInt32("tokenizer.ggml.bos_token_id", 0);
        md.putUInt32("tokenizer.ggml.padding_token_id", 1);
        md.putUInt32("tokenizer.ggml.eos_token_id", 2);
        md.putUInt32("tokenizer.ggml.unknown_token_id", 3);
        md.putBool("tokenizer.ggml.add_bos_token", true);
        md.putBool("tokenizer.ggml.add_eos_token", true);
        md.putBool("tokenizer.ggml.add_space_prefix", true);
        md.putBool("tokenizer.ggml.remove_extra_whitespaces", true);
        md.putArray("tokenizer.ggml.precompiled_charsmap", new MetadataArray(ValueType.UINT8, new byte[0]));
        return tokens.size();
    }

    /** Byte-level BPE vocabulary: the 256 byte symbols of GPT-2's byte-to-unicode map, a few merges, one special token. */
    static int byteLevelBpeVocab(Metadata md) {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(Character.toChars(byteToUnicode(b))));
            types.add(1);
        }
        List<String> merges = new ArrayList<>();
        for (String word : WORDS) {
            String sym = "Ġ";
            for (int i = 0; i < word.length(); i++) {
                String next = sym + word.charAt(i);
                if (!tokens.contains(next)) {
                    merges.add(sym + " " + word.charAt(i));
                    tokens.add(next);
                    types.add(1);
                }
                sym = next;
            }
        }
        tokens.add("<|endoftext|>");
        types.add(3);
        md.putString("tokenizer.ggml.model", "gpt2");
        md.putString("tokenizer.ggml.pre", "qwen2");
        md.putStringArray("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        md.putInt32Array("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        md.putStringArray("tokenizer.ggml.merges", merges.toArray(String[]::new));
        md.putUInt32("tokenizer.ggml.eos_token_id", tokens.size() - 1);
        md.putUInt32("tokenizer.ggml.padding_token_id", tokens.size() - 1);
        md.putUInt32("tokenizer.ggml.bos_token_id", tokens.size() - 1);
        md.putBool("tokenizer.ggml.add_bos_token", false);
        md.putBool("tokenizer.ggml.add_eos_token", true);
        return tokens.size();
    }

    /** GPT-2's printable mapping of byte values to code points. */
    static int byteToUnicode(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) return b;
        int n = 0;
        for (int x = 0; x < b; x++) if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) n++;
        return 256 + n;
    }
}
