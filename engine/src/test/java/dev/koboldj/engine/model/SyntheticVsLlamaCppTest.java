package dev.koboldj.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.args.PoolingType;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.LlamaCpp;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.engine.testing.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny seeded models of each architecture give llama.cpp's vectors on llama.cpp's own token ids (plus the special
 * tokens its embedding path adds: [CLS]/[SEP] for WordPiece, &lt;s&gt;/&lt;/s&gt; for Unigram, EOS for the Qwen2 BPE).
 */
class SyntheticVsLlamaCppTest {
    @TempDir
    static Path dir;

    enum Kind { BERT, XLM_ROBERTA, NOMIC_BERT, QWEN2 }

    static Stream<Arguments> models() {
        return Stream.of(Kind.values()).flatMap(k -> Stream.of(GgmlType.F32, GgmlType.F16).map(t -> Arguments.of(k, t)));
    }

    static Path build(Kind kind, GgmlType type) throws IOException {
        Path d = dir.resolve(kind + "-" + type);
        java.nio.file.Files.createDirectories(d);
        return switch (kind) {
            case BERT -> SyntheticModels.bert(d, 11, false, type);
            case XLM_ROBERTA -> SyntheticModels.bert(d, 12, true, type);
            case NOMIC_BERT -> SyntheticModels.nomicBert(d, 13, type);
            case QWEN2 -> SyntheticModels.qwen(d, "qwen2", 14, type);
        };
    }

    @ParameterizedTest
    @MethodSource("models")
    void sameVectorsAsLlamaCpp(Kind kind, GgmlType type) throws IOException {
        Path file = build(kind, type);
        PoolingType pooling = kind == Kind.QWEN2 ? PoolingType.LAST : PoolingType.UNSPECIFIED; // llama.cpp ignores qwen2.pooling_type
        double min = 1;
        try (LlamaCpp llama = LlamaCpp.embeddings(file, 2, pooling);
             EmbeddingModel ours = EmbeddingModel.load(file, EmbeddingOptions.defaults().withBackend("cpu"))) {
            var md = ours.file().metadata();
            for (String text : SyntheticModels.sentences()) {
                int[] ids = llama.encode(text);
                int[] withSpecials = switch (kind) {
                    case BERT, NOMIC_BERT -> wrap(md.getInt("tokenizer.ggml.cls_token_id"), ids, md.getInt("tokenizer.ggml.seperator_token_id"));
                    case XLM_ROBERTA -> wrap(md.getInt("tokenizer.ggml.bos_token_id"), ids, md.getInt("tokenizer.ggml.eos_token_id"));
                    case QWEN2 -> wrap(-1, ids, md.getInt("tokenizer.ggml.eos_token_id"));
                };
                double c = Vectors.cosine(llama.embed(text), ours.embedTokens(new int[][]{withSpecials})[0]);
                min = Math.min(min, c);
                assertTrue(c >= 0.9999, kind + " " + type + " cosine " + c + " on " + Arrays.toString(withSpecials));
            }
        }
        System.out.printf("%s %s vs llama.cpp: min cosine %.7f%n", kind, type, min);
    }

    static int[] wrap(int first, int[] ids, int last) {
        int[] out = new int[ids.length + (first >= 0 ? 1 : 0) + 1];
        int o = 0;
        if (first >= 0) out[o++] = first;
        System.arraycopy(ids, 0, out, o, ids.length);
        out[out.length - 1] = last;
        return out;
    }
}
