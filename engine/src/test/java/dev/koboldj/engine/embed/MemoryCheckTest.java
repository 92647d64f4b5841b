package dev.koboldj.engine.embed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.InsufficientMemoryException;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.SyntheticModels;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryCheckTest {
    @TempDir
    Path dir;

    @Test
    void anArenaLargerThanMemoryIsRefusedWithTheNumbers() throws IOException {
        Path bert = SyntheticModels.bert(dir, 41, false, GgmlType.F32);
        // 2^30 batch tokens need ~TBs of activations: refused before anything is allocated.
        InsufficientMemoryException e = org.junit.jupiter.api.Assertions.assertThrows(InsufficientMemoryException.class,
                () -> EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu").withMaxBatchTokens(1 << 30)));
        assertTrue(e.getMessage().matches("bert\\.gguf needs [0-9.]+ MiB \\(weights [0-9.]+ MiB \\+ activations [0-9.]+ MiB for 1073741824 batch tokens\\) but the cpu backend \\(.*\\) has [0-9.]+ MiB free"), e.getMessage());
    }

    @Test
    void aLoadedModelReportsItsMemory() throws IOException {
        Path bert = SyntheticModels.bert(dir, 42, false, GgmlType.F32);
        try (EmbeddingModel m = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu").withMaxBatchTokens(256))) {
            var mu = m.memory();
            assertTrue(mu.weightBytes() > 0 && mu.activationBytes() >= 256L * SyntheticModels.HIDDEN * 4, mu.toString());
        }
    }

    @Test
    void packedMatricesReplaceTheirMappedBytesInTheAccounting() throws IOException {
        // Packing happens on a matrix's first matmul; the packed copy takes the mapped slice's place (F32 the same size,
        // Q8_0 6% more: float scales), so the weights stay about the file's tensors, not twice them.
        for (GgmlType type : new GgmlType[]{GgmlType.F32, GgmlType.Q8_0}) {
            Path bert = SyntheticModels.bert(dir.resolve(type.name()), 43, false, type, SyntheticModels.WIDE);
            try (EmbeddingModel m = EmbeddingModel.load(bert, EmbeddingOptions.defaults().withBackend("cpu").withMaxBatchTokens(256))) {
                long mapped = m.memory().weightBytes();
                m.embed("packing happens on the first forward pass");
                long after = m.memory().weightBytes();
                assertTrue(after >= mapped && after <= mapped * 1.07, type + ": " + mapped + " mapped bytes, " + after + " after packing");
            }
        }
    }
}
