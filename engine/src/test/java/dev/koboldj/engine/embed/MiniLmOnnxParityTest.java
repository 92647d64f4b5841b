package dev.koboldj.engine.embed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.TestModels;
import dev.koboldj.engine.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2 imported from the artifact's ONNX file must give the vectors of that artifact's own ONNX Runtime
 * model. Token ids come from Hugging Face tokenizers on the same tokenizer.json, so this isolates the network.
 */
class MiniLmOnnxParityTest {
    static final List<String> TEXTS = List.of("Hello world", "The quick brown fox jumps over the lazy dog.",
            "koboldj computes embeddings in pure Java.", "a", "Ünïcödé àccents and CJK 中文字符 and emoji 🙂",
            "Short.", "A much longer sentence that goes on and on, with commas, semicolons; and other punctuation marks!");

    @Test
    void f32MatchesOnnxRuntime() throws Exception {
        List<float[]> reference = onnxRuntime(TEXTS);
        int[][] ids = hfIds(TEXTS);
        try (EmbeddingModel m = EmbeddingModel.load(TestModels.miniLm(GgmlType.F32), EmbeddingOptions.defaults().withBackend("cpu"))) {
            float[][] ours = m.embedTokens(ids);
            double min = 1;
            for (int i = 0; i < TEXTS.size(); i++) {
                double c = Vectors.cosine(reference.get(i), ours[i]);
                min = Math.min(min, c);
                assertTrue(c >= 0.9999, "cosine " + c + " for: " + TEXTS.get(i));
            }
            System.out.printf("MiniLM F32 vs ONNX Runtime: min cosine %.7f over %d texts%n", min, TEXTS.size());
        }
    }

    static List<float[]> onnxRuntime(List<String> texts) {
        AllMiniLmL6V2EmbeddingModel ort = new AllMiniLmL6V2EmbeddingModel();
        List<TextSegment> segs = texts.stream().map(TextSegment::from).toList();
        List<float[]> out = new ArrayList<>();
        ort.embedAll(segs).content().forEach(e -> out.add(e.vector()));
        return out;
    }

    static int[][] hfIds(List<String> texts) throws Exception {
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(TestModels.miniLmTokenizerJson())) {
            int[][] ids = new int[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                long[] l = tok.encode(texts.get(i)).getIds();
                ids[i] = new int[l.length];
                for (int j = 0; j < l.length; j++) ids[i][j] = (int) l[j];
            }
            return ids;
        }
    }
}
