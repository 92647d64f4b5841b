package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * koboldj against llama.cpp's tokenizers (de.kherud:llama, llama.cpp build 4916) on vocabularies written into a
 * tiny synthetic {@code bert} GGUF that llama.cpp can load. Every text on which koboldj and llama.cpp disagree must
 * be one where Hugging Face agrees with koboldj. For Unigram llama.cpp follows SentencePiece where Hugging Face does
 * not (it drops trailing spaces, matches the charsmap by longest byte prefix instead of by grapheme cluster, and does
 * not left-strip {@code <mask>}); apart from those, texts must agree.
 */
class LlamaCppTokenizerTest {
    @TempDir
    Path dir;

    /** Metadata and random F32 tensors of a one-layer BERT that llama.cpp's loader accepts. */
    static void writeTinyBert(Metadata tokenizer, Path out) throws IOException {
        int embd = 16, ff = 32, ctx = 512, vocab = tokenizer.getStringArray("tokenizer.ggml.tokens").length;
        Metadata md = new Metadata();
        md.putString("general.architecture", "bert");
        md.putString("general.name", "koboldj-tiny-unigram-test");
        md.putUInt32("bert.context_length", ctx);
        md.putUInt32("bert.embedding_length", embd);
        md.putUInt32("bert.feed_forward_length", ff);
        md.putUInt32("bert.block_count", 1);
        md.putUInt32("bert.attention.head_count", 2);
        md.putFloat32("bert.attention.layer_norm_epsilon", 1e-12f);
        md.putBool("bert.attention.causal", false);
        md.putUInt32("bert.pooling_type", 1);
        md.putUInt32("tokenizer.ggml.token_type_count", 2);
        tokenizer.entries().forEach((k, v) -> md.put(k, v.type(), v.value()));
        GgufWriter w = new GgufWriter(md);
        Random r = new Random(7);
        w.addTensor("token_embd.weight", random(r, embd * vocab), embd, vocab);
        w.addTensor("token_types.weight", random(r, embd * 2), embd, 2);
        w.addTensor("position_embd.weight", random(r, embd * ctx), embd, ctx);
        w.addTensor("token_embd_norm.weight", ones(embd), embd);
        w.addTensor("token_embd_norm.bias", new float[embd], embd);
        for (String t : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
            w.addTensor("blk.0." + t + ".weight", random(r, embd * embd), embd, embd);
            w.addTensor("blk.0." + t + ".bias", new float[embd], embd);
        }
        w.addTensor("blk.0.attn_output_norm.weight", ones(embd), embd);
        w.addTensor("blk.0.attn_output_norm.bias", new float[embd], embd);
        w.addTensor("blk.0.ffn_up.weight", random(r, embd * ff), embd, ff);
        w.addTensor("blk.0.ffn_up.bias", new float[ff], ff);
        w.addTensor("blk.0.ffn_down.weight", random(r, ff * embd), ff, embd);
        w.addTensor("blk.0.ffn_down.bias", new float[embd], embd);
        w.addTensor("blk.0.layer_output_norm.weight", ones(embd), embd);
        w.addTensor("blk.0.layer_output_norm.bias", new float[embd], embd);
        w.write(out);
    }

    private static float[] random(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (r.nextGaussian() * 0.02);
        return f;
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        Arrays.fill(f, 1f);
        return f;
    }

    @Test
    void constructedUnigramVocabulary() throws IOException {
        String json = UnigramFixture.json(false);
        List<String> texts = new ArrayList<>(UnigramTokenizerTest.unigramEdgeCases());
        texts.addAll(TestTexts.corpusIfPresent());
        int agree = threeWay("Unigram (constructed)", json, texts);
        assertTrue(agree >= texts.size() * 85 / 100, "only " + agree + " of " + texts.size() + " texts tokenize as in llama.cpp");
    }

    /**
     * all-MiniLM-L6-v2: llama.cpp's WordPiece is known to differ from Hugging Face (it lower-cases and decomposes
     * but keeps the accents, and classifies some characters differently); koboldj must side with Hugging Face on
     * every such text.
     */
    @Test
    void miniLmWordPiece() throws IOException {
        List<String> texts = new ArrayList<>(TestTexts.edgeCases());
        texts.addAll(TestTexts.corpusIfPresent());
        threeWay("all-MiniLM-L6-v2", TestTexts.resource("all-minilm-l6-v2-tokenizer.json"), texts);
    }

    /**
     * Encodes every text (without special tokens) with koboldj and llama.cpp; where they differ, Hugging Face must
     * agree with koboldj. Prints the counts and the differing texts; returns how many texts were identical.
     */
    private int threeWay(String label, String json, List<String> texts) throws IOException {
        Metadata md = HfTokenizerImporter.importTokenizer(json, null);
        Path gguf = dir.resolve("tiny-" + md.getString("tokenizer.ggml.model") + ".gguf");
        writeTinyBert(md, gguf);
        Tokenizer tok = Tokenizer.fromMetadata(md);
        int agree = 0;
        List<String> problems = new ArrayList<>();
        List<String> llamaCppOnly = new ArrayList<>();
        LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> { });
        LlamaModel loaded;
        try {
            loaded = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(512).setThreads(1));
        } catch (UnsatisfiedLinkError e) {
            String reason = "SKIPPED: llama.cpp's native library (de.kherud:llama) cannot load here: " + e.getMessage();
            System.out.println(reason);
            Assumptions.abort(reason);
            return 0;
        }
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json)); LlamaModel llama = loaded) {
            for (String text : texts) {
                int[] ours = tok.encode(text, false);
                int[] cpp = llama.encode(text);
                if (Arrays.equals(ours, cpp)) {
                    agree++;
                } else if (Arrays.equals(hf.encode(text, false), ours)) {
                    llamaCppOnly.add(ReferenceComparison.quote(text));
                } else if (problems.size() < 10) {
                    problems.add(ReferenceComparison.quote(text) + "\n   llama.cpp: " + Arrays.toString(cpp) + "\n   koboldj:   " + Arrays.toString(ours)
                            + "\n   hf:        " + Arrays.toString(hf.encode(text, false)));
                }
            }
        }
        System.out.printf("%s vs llama.cpp: %d texts, %d identical, %d differ where Hugging Face sides with koboldj: %s%n",
                label, texts.size(), agree, llamaCppOnly.size(), llamaCppOnly.subList(0, Math.min(25, llamaCppOnly.size())));
        if (!problems.isEmpty()) fail(label + ": koboldj differs from llama.cpp and from Hugging Face:\n" + String.join("\n", problems));
        return agree;
    }
}
