package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** WordPiece against Hugging Face on all-MiniLM-L6-v2 (uncased) and bge-small-zh-v1.5 (Chinese, not lower-cased). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WordPieceTokenizerTest {
    private Tokenizer miniLm;
    private HfReference miniLmHf;
    private Tokenizer bgeZh;
    private HfReference bgeZhHf;

    @BeforeAll
    void load() {
        String json = TestTexts.resource("all-minilm-l6-v2-tokenizer.json");
        miniLm = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        miniLmHf = HfReference.of(TestTexts.writeTemp(json));
        String zh = TestTexts.resource("bge-small-zh-v1.5-tokenizer.json");
        bgeZh = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(zh, null));
        bgeZhHf = HfReference.of(TestTexts.writeTemp(zh));
    }

    @AfterAll
    void close() {
        miniLmHf.close();
        bgeZhHf.close();
    }

    @Test
    void miniLmEdgeCases() {
        ReferenceComparison.assertSameIds("all-MiniLM-L6-v2 edge cases", miniLm, miniLmHf, TestTexts.edgeCases(), true);
    }

    @Test
    void miniLmCorpus() {
        ReferenceComparison.assertSameIds("all-MiniLM-L6-v2 corpus", miniLm, miniLmHf, TestTexts.corpus(), true);
    }

    @Test
    void bgeZhEdgeCases() {
        ReferenceComparison.assertSameIds("bge-small-zh-v1.5 edge cases", bgeZh, bgeZhHf, TestTexts.edgeCases(), true);
    }

    @Test
    void bgeZhCorpus() {
        ReferenceComparison.assertSameIds("bge-small-zh-v1.5 corpus", bgeZh, bgeZhHf, TestTexts.corpus(), true);
    }

    @Test
    void spansAreHuggingFacesOffsets() {
        List<String> texts = new ArrayList<>(TestTexts.edgeCases());
        texts.add("[MASK] in the middle [SEP] of a text");
        texts.addAll(TestTexts.corpusIfPresent());
        int checked = ReferenceComparison.assertSameSpans(miniLm, miniLmHf, texts) + ReferenceComparison.assertSameSpans(bgeZh, bgeZhHf, TestTexts.edgeCases());
        System.out.println("WordPiece spans equal Hugging Face's offsets on " + checked + " texts");
    }

    @Test
    void specialTokensOfMiniLm() {
        SpecialTokens s = miniLm.special();
        // ids of [CLS] [SEP] [UNK] [PAD] [MASK] as the reference reports them
        assertEquals(miniLmHf.encode("[CLS]", false)[0], s.bos());
        assertEquals(miniLmHf.encode("[CLS]", false)[0], s.cls());
        assertEquals(miniLmHf.encode("[SEP]", false)[0], s.eos());
        assertEquals(miniLmHf.encode("[SEP]", false)[0], s.sep());
        assertEquals(miniLmHf.encode("[UNK]", false)[0], s.unk());
        assertEquals(miniLmHf.encode("[PAD]", false)[0], s.pad());
        assertEquals(miniLmHf.encode("[MASK]", false)[0], s.mask());
        assertEquals("bert", miniLm.model());
        assertEquals(30522, miniLm.vocabSize());
        assertEquals("\u2581hello", miniLm.token(miniLmHf.encode("hello", false)[0]));
    }

    @Test
    void veryLongInputsAreLinear() {
        String noSpaces = "abcdefghij".repeat(100_000); // 1 MB without a space: one over-long word
        assertArrayEquals(miniLmHf.encode(noSpaces, true), miniLm.encode(noSpaces));
        String words = "tokenization ".repeat(80_000);
        assertArrayEquals(miniLmHf.encode(words, true), miniLm.encode(words));
    }



}
