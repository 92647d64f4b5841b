package dev.koboldj.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufSummaryTest {
    @TempDir
    Path dir;

    @Test
    void summarisesAnEmbeddingModel() throws IOException {
        Metadata m = new Metadata();
        m.putString("general.architecture", "bert");
        m.putString("general.name", "MiniLM");
        m.putUInt32("general.file_type", 15);
        m.putUInt32("bert.context_length", 512);
        m.putUInt32("bert.embedding_length", 384);
        m.putUInt32("bert.block_count", 6);
        m.putUInt32("bert.attention.head_count", 12);
        m.putUInt32("bert.pooling_type", 1);
        m.putString("tokenizer.ggml.model", "bert");
        m.putStringArray("tokenizer.ggml.tokens", new String[]{"[PAD]", "[UNK]", "a", "b", "c"});
        GgufWriter w = new GgufWriter(m);
        w.addTensor("token_embd.weight", GgmlType.Q8_0, new long[]{64, 5}, MemorySegment.ofArray(new byte[10 * 34]));
        w.addTensor("blk.0.attn_q.weight", GgmlType.Q4_K, new long[]{256, 3}, MemorySegment.ofArray(new byte[3 * 144]));
        w.addTensor("blk.0.attn_q.bias", new float[384], 384);
        w.addTensor("blk.0.attn_k.bias", new float[384], 384);
        Path file = dir.resolve("minilm.gguf");
        w.write(file);

        try (GgufFile f = GgufFile.open(file)) {
            GgufSummary s = GgufSummary.of(f);
            assertEquals(file.toString(), s.path());
            assertEquals(Files.size(file), s.fileSize());
            assertEquals(3, s.ggufVersion());
            assertEquals("bert", s.architecture());
            assertEquals("MiniLM", s.name());
            assertEquals(64 * 5 + 256 * 3 + 384 + 384, s.parameterCount());
            assertEquals(512L, s.contextLength());
            assertEquals(384L, s.embeddingLength());
            assertEquals(6L, s.blockCount());
            assertEquals(12L, s.headCount());
            assertNull(s.headCountKv());
            assertEquals(1L, s.poolingType());
            assertEquals("mean", s.poolingName());
            assertEquals("bert", s.tokenizerModel());
            assertEquals(5L, s.vocabularySize());
            assertEquals(15L, s.fileType());
            assertEquals("Q4_K - Medium", s.fileTypeName());
            assertEquals(4, s.tensorCount());
            // Types in id order: F32 (0), Q8_0 (8), Q4_K (12).
            assertEquals(List.of(
                    new GgufSummary.TypeUsage(GgmlType.F32, 2, 768, 768 * 4),
                    new GgufSummary.TypeUsage(GgmlType.Q8_0, 1, 320, 340),
                    new GgufSummary.TypeUsage(GgmlType.Q4_K, 1, 768, 432)), s.tensorTypes());
            long tensorBytes = 768 * 4 + 340 + 432;
            assertEquals(tensorBytes, s.tensorBytes());
            // The stated rule: 64 MiB + 512 tokens x 384 x 16 floats + 512 x 512 x 12 heads floats.
            long overhead = (64L << 20) + 512L * 384 * 16 * 4 + 512L * 512 * 12 * 4;
            assertEquals(overhead, s.estimatedOverheadBytes());
            assertEquals(tensorBytes + overhead, s.estimatedMemoryBytes());
        }
    }

    @Test
    void unknownArchitecturesAndOddValuesAreSummarisedWithoutThrowing() throws IOException {
        Metadata m = new Metadata();
        m.putString("general.architecture", "mystery");
        m.putString("mystery.context_length", "long");                                       // wrong type: absent
        m.putInt32Array("mystery.attention.head_count_kv", new int[]{2, 8, 4});              // per layer: largest
        m.put("mystery.block_count", ValueType.UINT64, -1L);                                 // does not fit: absent
        m.putUInt32("mystery.pooling_type", 7);
        m.putUInt32("mystery.vocab_size", 32000);
        m.putUInt32("general.file_type", 1024 | 7);
        Path file = dir.resolve("mystery.gguf");
        new GgufWriter(m).write(file);

        try (GgufFile f = GgufFile.open(file)) {
            GgufSummary s = GgufSummary.of(f);
            assertEquals("mystery", s.architecture());
            assertNull(s.name());
            assertNull(s.contextLength());
            assertEquals(8L, s.headCountKv());
            assertNull(s.headCount());
            assertNull(s.blockCount());
            assertNull(s.embeddingLength());
            assertEquals("unknown (7)", s.poolingName());
            assertNull(s.tokenizerModel());
            assertEquals(32000L, s.vocabularySize());
            assertEquals("Q8_0 (guessed)", s.fileTypeName());
            assertEquals(0, s.parameterCount());
            assertEquals(List.of(), s.tensorTypes());
            assertEquals(64L << 20, s.estimatedMemoryBytes());
        }
    }

    @Test
    void noArchitectureAtAll() {
        Metadata m = new Metadata();
        m.putUInt32("general.file_type", 99);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            new GgufWriter(m).write(bytes, (i, n, t) -> { });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        GgufSummary s = GgufSummary.of(GgufFile.of(MemorySegment.ofArray(bytes.toByteArray())));
        assertNull(s.architecture());
        assertNull(s.path());
        assertNull(s.poolingType());
        assertEquals("unknown (id 99)", s.fileTypeName());
    }

    @Test
    void fileTypeNamesFollowLlamaCpp() {
        assertEquals("all F32", FileType.describe(0));
        assertEquals("F16", FileType.describe(1));
        assertEquals("Q8_0", FileType.describe(7));
        assertEquals("Q5_0", FileType.describe(8));
        assertEquals("Q4_K - Small", FileType.describe(14));
        assertEquals("Q6_K", FileType.describe(18));
        assertEquals("BF16", FileType.describe(32));
        assertEquals("IQ3_S mix - 3.66 bpw", FileType.describe(27));
        assertEquals("unknown (id 5)", FileType.describe(5));
        assertEquals("unknown (id -3)", FileType.describe(-3));
    }
}
