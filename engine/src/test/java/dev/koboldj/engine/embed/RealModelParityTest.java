package dev.koboldj.engine.embed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.Corpus;
import dev.koboldj.engine.testing.TestModels;
import dev.koboldj.engine.testing.TestModels.RealModel;
import dev.koboldj.engine.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real weights, end to end: models imported from the LangChain4j artifacts' ONNX files and tokenizer.json must give,
 * from text, the vectors of ONNX Runtime running those same files (LangChain4j's OnnxEmbeddingModel with the model's
 * pooling). Our token ids are also checked against Hugging Face tokenizers on every line.
 */
class RealModelParityTest {

    @Test
    void miniLmEdgeCasesF32F16Q8() throws Exception {
        check(TestModels.MINILM, Corpus.EDGE_CASES, GgmlType.F32, 0.9999);
        check(TestModels.MINILM, Corpus.EDGE_CASES, GgmlType.F16, 0.9999);
        check(TestModels.MINILM, Corpus.EDGE_CASES, GgmlType.Q8_0, 0.999);
    }

    @Test
    void miniLmCorpus() throws Exception {
        List<String> corpus = Corpus.english();
        check(TestModels.MINILM, corpus, GgmlType.F32, 0.9999);
        check(TestModels.MINILM, corpus, GgmlType.F16, 0.9999);
        check(TestModels.MINILM, corpus, GgmlType.Q8_0, 0.999);
    }

    @Test
    void bgeSmallEnClsPooling() throws Exception {
        List<String> texts = new ArrayList<>(Corpus.EDGE_CASES);
        check(TestModels.BGE_SMALL_EN, texts, GgmlType.F32, 0.9999);
        check(TestModels.BGE_SMALL_EN, texts, GgmlType.F16, 0.9999);
    }

    static void check(RealModel model, List<String> texts, GgmlType type, double minCosine) throws Exception {
        List<float[]> reference = onnxRuntime(model, texts);
        int[][] ids = hfIds(model, texts);
        // The reference truncates where tokenizer.json says (128 tokens for MiniLM); ours is set to the same limit.
        try (EmbeddingModel m = EmbeddingModel.load(model.gguf(type), EmbeddingOptions.defaults().withBackend("cpu").withMaxTokens(model.truncation()))) {
            List<float[]> ours = m.embed(texts);
            double min = 1;
            for (int i = 0; i < texts.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(ids[i], m.tokenize(texts.get(i), true), "token ids of line " + i);
                double c = Vectors.cosine(reference.get(i), ours.get(i));
                min = Math.min(min, c);
                assertTrue(c >= minCosine, model.name() + " " + type + ": cosine " + c + " for line " + i + ": " + texts.get(i));
            }
            System.out.printf("%s %s vs ONNX Runtime: min cosine %.7f over %d texts%n", model.name(), type, min, texts.size());
        }
    }

    static List<float[]> onnxRuntime(RealModel model, List<String> texts) {
        OnnxEmbeddingModel ort = new OnnxEmbeddingModel(model.onnx(), model.tokenizerJson(), model.pooling() == Pooling.CLS ? PoolingMode.CLS : PoolingMode.MEAN);
        List<float[]> out = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 64) {
            List<TextSegment> segs = texts.subList(from, Math.min(texts.size(), from + 64)).stream().map(TextSegment::from).toList();
            ort.embedAll(segs).content().forEach(e -> out.add(e.vector()));
        }
        return out;
    }

    static int[][] hfIds(RealModel model, List<String> texts) throws Exception {
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(model.tokenizerJson())) {
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
