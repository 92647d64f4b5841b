package dev.koboldj.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.quant.ModelQuantizer;
import dev.koboldj.engine.testing.LlamaCpp;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.engine.testing.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compatibility of quantized files: a BERT quantized by koboldj's own quantizer loads in llama.cpp and gives the
 * vectors koboldj computes from the same file's dequantized weights. llama.cpp multiplies 8-bit-quantized
 * activations against quantized weights while koboldj dequantizes the weights and stays in float32, so the two
 * agree to the activation rounding (cosine >= 0.999), not bit for bit.
 */
class QuantizedVsLlamaCppTest {
    @TempDir
    static Path dir;
    static Path f32;

    @BeforeAll
    static void model() throws IOException {
        f32 = SyntheticModels.bert(dir, 51, false, GgmlType.F32, SyntheticModels.WIDE);
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "BF16"})
    void aFileQuantizedByKoboldjRunsInLlamaCppWithTheSameVectors(GgmlType type) throws IOException {
        Path q = dir.resolve("bert-" + type + ".gguf");
        ModelQuantizer.quantize(f32, q, type, (tensor, index, count, done, total) -> { });
        try (GgufFile g = GgufFile.open(q)) {
            assertEquals(type, g.tensor("blk.0.attn_q.weight").type(), "the matrices are " + type);
        }
        double min = 1;
        try (LlamaCpp llama = LlamaCpp.embeddings(q, 2); EmbeddingModel ours = EmbeddingModel.load(q, EmbeddingOptions.defaults().withBackend("cpu"))) {
            var md = ours.file().metadata();
            for (String text : SyntheticModels.sentences()) {
                int[] ids = SyntheticVsLlamaCppTest.wrap(md.getInt("tokenizer.ggml.cls_token_id"), llama.encode(text), md.getInt("tokenizer.ggml.seperator_token_id"));
                double c = Vectors.cosine(llama.embed(text), ours.embedTokens(new int[][]{ids})[0]);
                min = Math.min(min, c);
                assertTrue(c >= 0.999, type + ": cosine " + c + " for '" + text + "'");
            }
        }
        System.out.printf("BERT %s quantized by koboldj, llama.cpp vs koboldj: min cosine %.6f%n", type, min);
    }
}
