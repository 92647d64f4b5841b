package dev.koboldj.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.Corpus;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.engine.testing.TestModels;
import dev.koboldj.engine.testing.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole models through {@link EmbeddingModel} on the Vulkan backend give the CPU backend's vectors (cosine >= 0.9999
 * per sequence) for packed batches of random token sequences: all-MiniLM-L6-v2 (real weights in F32, F16, Q8_0 and
 * Q4_K) and the synthetic BERT, XLM-RoBERTa-shaped BERT, nomic-bert, Qwen2 and Qwen3 models (float and 32-element
 * block formats), with validation watching.
 */
class WholeModelTest {
    static final double MIN_COSINE = 0.9999;

    @TempDir
    static Path dir;

    @BeforeAll
    static void vulkan() {
        VulkanTestSupport.assumeVulkan();
    }

    static int[][] sequences(int count, int maxLen, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] s = new int[count][];
        for (int i = 0; i < count; i++) {
            s[i] = new int[1 + r.nextInt(maxLen)];
            for (int j = 0; j < s[i].length; j++) s[i][j] = r.nextInt(vocab);
        }
        return s;
    }

    static void compare(Path gguf, int vocab, EmbeddingOptions options, String what) throws IOException {
        compare(gguf, vocab, options, what, 12, 60);
    }

    /** {@code count} random sequences of 1 to {@code maxLen} tokens (lavapipe runs MiniLM at a few hundred tokens a second). */
    static void compare(Path gguf, int vocab, EmbeddingOptions options, String what, int count, int maxLen) throws IOException {
        int[][] seqs = sequences(count, maxLen, vocab, gguf.hashCode());
        float[][] cpu, gpu;
        try (EmbeddingModel m = EmbeddingModel.load(gguf, options.withBackend("cpu"))) {
            cpu = m.embedTokens(seqs);
        }
        try (EmbeddingModel m = EmbeddingModel.load(gguf, options.withBackend("vulkan"))) {
            assertEquals("vulkan", m.backend().name());
            gpu = m.embedTokens(seqs);
            VulkanTestSupport.assertNoValidationMessages((VulkanBackend) m.backend());
        }
        double min = 1;
        for (int i = 0; i < seqs.length; i++) {
            double c = Vectors.cosine(cpu[i], gpu[i]);
            min = Math.min(min, c);
            assertTrue(c >= MIN_COSINE, what + ": sequence " + i + " (" + seqs[i].length + " tokens) cosine " + c);
        }
        System.out.printf("%s on Vulkan vs CPU: min cosine %.8f over %d sequences%n", what, min, seqs.length);
    }

    static EmbeddingOptions small() {
        // A batch budget below the total forces several forward passes of several packed sequences each.
        return EmbeddingOptions.defaults().withMaxBatchTokens(128).withMaxTokens(128);
    }

    @Test
    void miniLm() throws IOException {
        // Q4_K applies where rows hold whole 256-blocks (the FFN down projection); other matrices fall back to F16.
        compare(TestModels.miniLm(GgmlType.F32), 30522, small(), "all-MiniLM-L6-v2 F32", 8, 48);
        for (GgmlType t : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_K}) {
            compare(TestModels.miniLm(t), 30522, small(), "all-MiniLM-L6-v2 " + t, 4, 24);
        }
    }

    @Test
    void miniLmOnTextThroughItsOwnTokenizer() throws IOException {
        Path gguf = TestModels.miniLm(GgmlType.F16);
        java.util.List<float[]> cpu, gpu;
        try (EmbeddingModel m = EmbeddingModel.load(gguf, small().withBackend("cpu"))) {
            cpu = m.embed(Corpus.EDGE_CASES);
        }
        try (EmbeddingModel m = EmbeddingModel.load(gguf, small().withBackend("vulkan"))) {
            gpu = m.embed(Corpus.EDGE_CASES);
            VulkanTestSupport.assertNoValidationMessages((VulkanBackend) m.backend());
        }
        for (int i = 0; i < cpu.size(); i++) {
            double c = Vectors.cosine(cpu.get(i), gpu.get(i));
            assertTrue(c >= MIN_COSINE, "text " + i + " (" + Corpus.EDGE_CASES.get(i) + "): cosine " + c);
        }
    }

    @Test
    void miniLmThroughForcedStaging() throws IOException {
        compare(TestModels.miniLm(GgmlType.F16), 30522, small().withForceStaging(true), "all-MiniLM-L6-v2 F16, forced staging", 4, 32);
    }

    @Test
    void syntheticEncoders() throws IOException {
        compare(SyntheticModels.bert(dir, 41, false, GgmlType.F32), 80, small(), "synthetic bert");
        compare(SyntheticModels.bert(dir, 42, true, GgmlType.F16), 80, small(), "synthetic xlm-roberta bert");
        compare(SyntheticModels.nomicBert(dir, 43, GgmlType.F32), 80, small(), "synthetic nomic-bert");
        compare(SyntheticModels.bert(dir, 46, false, GgmlType.Q4_0), 80, small(), "synthetic bert Q4_0");
        compare(SyntheticModels.nomicBert(dir, 47, GgmlType.Q5_1), 80, small(), "synthetic nomic-bert Q5_1");
    }

    @Test
    void syntheticDecoders() throws IOException {
        compare(SyntheticModels.qwen(dir, "qwen2", 44, GgmlType.F32), 80, small(), "synthetic qwen2");
        compare(SyntheticModels.qwen(dir, "qwen3", 45, GgmlType.F16), 80, small(), "synthetic qwen3");
        compare(SyntheticModels.qwen(dir, "qwen3", 48, GgmlType.Q8_0), 80, small(), "synthetic qwen3 Q8_0");
    }
}
