package dev.koboldj.engine.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.engine.testing.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingModelTest {
    @TempDir
    static Path dir;
    static Path bert, qwen2;

    @BeforeAll
    static void models() throws IOException {
        bert = SyntheticModels.bert(dir, 31, false, GgmlType.F32);
        qwen2 = SyntheticModels.qwen(dir, "qwen2", 32, GgmlType.F32);
    }

    static int[][] randomSequences(int count, int maxLen, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] s = new int[count][];
        for (int i = 0; i < count; i++) {
            s[i] = new int[1 + r.nextInt(maxLen)];
            for (int j = 0; j < s[i].length; j++) s[i][j] = r.nextInt(vocab);
        }
        return s;
    }

    @Test
    void aPackedBatchGivesTheVectorsOfEachSequenceAlone() throws IOException {
        for (Path file : new Path[]{bert, qwen2}) {
            // A small batch budget forces several forward passes with several sequences each.
            try (EmbeddingModel m = EmbeddingModel.load(file, EmbeddingOptions.defaults().withBackend("cpu").withMaxBatchTokens(128))) {
                int[][] seqs = randomSequences(23, 40, 80, 7);
                float[][] batched = m.embedTokens(seqs);
                for (int i = 0; i < seqs.length; i++) {
                    float[] alone = m.embedTokens(new int[][]{seqs[i]})[0];
                    double c = Vectors.cosine(alone, batched[i]);
                    assertTrue(c >= 0.99999, file.getFileName() + " sequence " + i + ": cosine " + c);
                }
                assertArrayEquals(batched[5], m.embedTokens(seqs)[5], "repeated calls are identical");
            }
        }
    }

    @Test
    void normalisationDimensionsAndPooling() throws IOException {
        int[][] seqs = randomSequences(4, 20, 80, 8);
        try (EmbeddingModel m = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu"));
             EmbeddingModel raw = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu").withNormalize(false));
             EmbeddingModel cls = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu").withPooling(Pooling.CLS))) {
            assertEquals(Pooling.MEAN, m.pooling(), "from bert.pooling_type");
            assertEquals(SyntheticModels.HIDDEN, m.dimension());
            for (float[] v : m.embedTokens(seqs)) assertEquals(1.0, Vectors.norm(v), 1e-5);
            float[] unnormalised = raw.embedTokens(seqs)[0];
            assertTrue(Math.abs(Vectors.norm(unnormalised) - 1) > 1e-3, "normalisation off keeps the raw norm");
            assertEquals(1.0, Vectors.cosine(unnormalised, m.embedTokens(seqs)[0]), 1e-6);

            List<Embedding> short16 = m.embedTokens(seqs, true, 16, true);
            assertEquals(16, short16.get(0).vector().length);
            assertEquals(1.0, Vectors.norm(short16.get(0).vector()), 1e-5, "Matryoshka truncation is re-normalised");
            assertEquals(1.0, Vectors.cosine(short16.get(0).vector(), java.util.Arrays.copyOf(raw.embedTokens(seqs)[0], 16)), 1e-6);
            assertThrows(IllegalArgumentException.class, () -> m.embedTokens(seqs, true, SyntheticModels.HIDDEN + 1, true));

            assertTrue(Vectors.cosine(cls.embedTokens(seqs)[0], m.embedTokens(seqs)[0]) < 0.999, "CLS pooling differs from mean");
        }
    }

    @Test
    void truncationAndEdgeInputs() throws IOException {
        try (EmbeddingModel m = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu").withMaxTokens(16))) {
            assertEquals(16, m.maxTokens());
            int[] longSeq = randomSequences(1, 1, 80, 9)[0];
            longSeq = new Random(3).ints(40, 5, 80).toArray();
            Embedding cut = m.embedTokens(new int[][]{longSeq}, true, 0, true).get(0);
            assertTrue(cut.truncated());
            assertEquals(16, cut.tokens());
            assertArrayEquals(cut.vector(), m.embedTokens(new int[][]{java.util.Arrays.copyOf(longSeq, 16)}, true, 0, true).get(0).vector());
            int[] tooLong = longSeq;
            InputTooLongException e = assertThrows(InputTooLongException.class, () -> m.embedTokens(new int[][]{tooLong}, true, 0, false));
            assertEquals(40, e.tokens());

            Embedding one = m.embedTokens(new int[][]{{7}}, true, 0, true).get(0);
            assertFalse(one.truncated());
            assertEquals(1, one.tokens());
            assertEquals(1.0, Vectors.norm(one.vector()), 1e-5);
            assertThrows(IllegalArgumentException.class, () -> m.embedTokens(new int[][]{{}}));
            assertThrows(IllegalArgumentException.class, () -> m.embedTokens(new int[][]{{100000}}), "token id out of range");
        }
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
        try (EmbeddingModel m = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu"))) {
            List<String> texts = SyntheticModels.sentences();
            List<float[]> expected = m.embed(texts);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
                for (int task = 0; task < 64; task++) {
                    int t = task;
                    results.add(pool.submit(() -> {
                        int i = t % texts.size();
                        return java.util.Arrays.equals(expected.get(i), m.embed(texts.get(i)));
                    }));
                }
                for (var f : results) assertTrue(f.get(), "a concurrent call returned a different vector");
            }
        }
    }

    @Test
    void textEdgeCases() throws IOException {
        try (EmbeddingModel m = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu"))) {
            assertArrayEquals(new int[]{2, 3}, m.tokenize(""), "an empty text is [CLS] [SEP]");
            assertEquals(1.0, Vectors.norm(m.embed("")), 1e-5);
            assertEquals(3, m.embed(List.of("hello"), true, 0, true).get(0).tokens());
        }
    }

    @Test
    void unknownArchitecturesAreRefusedByName() throws IOException {
        var md = new dev.koboldj.engine.gguf.Metadata();
        md.putString("general.architecture", "mamba");
        Path f = dir.resolve("mamba.gguf");
        new dev.koboldj.engine.gguf.GgufWriter(md).write(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingModel.load(f));
        assertEquals("architecture 'mamba' is not supported (supported: bert, nomic-bert, qwen2, qwen3)", e.getMessage());
    }
}
