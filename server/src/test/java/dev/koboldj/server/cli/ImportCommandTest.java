package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void importsMiniLmWithItsVocabulary() throws IOException {
        Path onnx = resource("all-minilm-l6-v2.onnx"), tok = resource("all-minilm-l6-v2-tokenizer.json");
        Path out = dir.resolve("minilm-f16.gguf");
        Cli r = Cli.run("import", onnx.toString(), tok.toString(), out.toString(), "--type", "f16", "--name", "MiniLM");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": MiniLM, 101 tensors, F16 weights, mean pooling, 30522-token vocabulary"), r.out());
        assertTrue(r.err().contains("import"), "progress bar on stderr");
        try (GgufFile g = GgufFile.open(out)) {
            assertEquals("bert", g.architecture());
            assertEquals(GgmlType.F16, g.tensor("blk.5.ffn_up.weight").type());
            assertEquals(6, g.metadata().getInt("bert.block_count"));
            assertEquals(12, g.metadata().getInt("bert.attention.head_count"));
        }
        try (EmbeddingModel m = EmbeddingModel.load(out, EmbeddingOptions.defaults().withBackend("cpu"))) {
            assertEquals(Pooling.MEAN, m.pooling());
            assertEquals(384, m.embed("hello").length);
        }
        assertEquals(0, Cli.run("info", out.toString()).exitCode());
    }

    @Test
    void badInputsGiveAMessageAndNoOutput() throws IOException {
        Path tok = resource("all-minilm-l6-v2-tokenizer.json");
        Path notOnnx = Files.writeString(dir.resolve("fake.onnx"), "this is not protobuf at all");
        Path out = dir.resolve("out.gguf");
        Cli missing = Cli.run("import", dir.resolve("nope.onnx").toString(), tok.toString(), out.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope.onnx does not exist"), missing.err());
        Cli bad = Cli.run("import", notOnnx.toString(), tok.toString(), out.toString());
        assertEquals(1, bad.exitCode());
        assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
        assertFalse(Files.exists(out));
        assertEquals(2, Cli.run("import", notOnnx.toString(), tok.toString(), out.toString(), "--type", "q9_9").exitCode());
    }
}
