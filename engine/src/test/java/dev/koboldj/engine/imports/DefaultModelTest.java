package dev.koboldj.engine.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.testing.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {
    @TempDir
    Path cache;

    @Test
    void theDefaultModelIsImportedOnceFromTheClassPathAndMatchesOnnxRuntime() throws Exception {
        assertTrue(DefaultModel.needsImport(cache));
        AtomicInteger last = new AtomicInteger();
        Path gguf = DefaultModel.ensure(cache, (done, total) -> last.set(done == total ? total : -1));
        assertTrue(last.get() > 0, "progress reached the last tensor");
        assertFalse(DefaultModel.needsImport(cache));
        long modified = Files.getLastModifiedTime(gguf).toMillis();
        assertEquals(gguf, DefaultModel.ensure(cache, (d, t) -> { throw new AssertionError("no second import"); }));
        assertEquals(modified, Files.getLastModifiedTime(gguf).toMillis());
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }

        String text = "koboldj serves all-MiniLM-L6-v2 out of the box.";
        float[] reference = new AllMiniLmL6V2EmbeddingModel().embed(text).content().vector();
        try (EmbeddingModel m = EmbeddingModel.load(gguf, EmbeddingOptions.defaults().withBackend("cpu"))) {
            assertEquals(Pooling.MEAN, m.pooling());
            assertEquals(384, m.dimension());
            assertTrue(Vectors.cosine(reference, m.embed(text)) >= 0.9999);
        }
    }
}
