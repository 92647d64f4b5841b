package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unigram against Hugging Face on a constructed XLM-R-style vocabulary with a constructed charsmap. */
class UnigramTokenizerTest {

    static List<String> unigramEdgeCases() {
        List<String> t = new ArrayList<>(TestTexts.edgeCases());
        t.addAll(List.of("ｶﾞ ｶ ﾞ", "™ ½ ﬁne Ⅻ ①", "xe\u0301y A\u030Angstrom", "full　width　space", "a\u200Bb\u0001c",
                "the  file   was    used", " the file ", "the\tfile\nwas", "hello world hello world", "<mask> the <mask>file",
                "tokenization résumé naïve über straße", "привет мир мирный", "中文世界 北京你好", "한국어 안녕 세계", "नमस्ते दुनिया",
                "مرحبا عالم", "שלום", "zzz qqq xyzzy", "😀😀 unknown 😀", "ünïcödé òütsîdé"));
        return t;
    }

    @Test
    void constructedVocabularyEdgeCases() {
        String json = UnigramFixture.json(false);
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        assertEquals("t5", tok.model());
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            ReferenceComparison.assertSameIds("Unigram (constructed) edge cases", tok, hf, unigramEdgeCases(), true);
        }
    }

    @Test
    void constructedVocabularyCorpus() {
        List<String> corpus = TestTexts.corpus();
        String json = UnigramFixture.json(false);
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            ReferenceComparison.assertSameIds("Unigram (constructed) corpus", tok, hf, corpus, true);
        }
    }

    @Test
    void constructedVocabularyWithByteFallback() {
        String json = UnigramFixture.json(true);
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            ReferenceComparison.assertSameIds("Unigram (constructed, byte fallback) edge cases", tok, hf, unigramEdgeCases(), true);
        }
    }

    @Test
    void spansAreHuggingFacesOffsets() {
        List<String> texts = new java.util.ArrayList<>(unigramEdgeCases());
        texts.addAll(TestTexts.corpusIfPresent());
        for (boolean byteFallback : new boolean[]{false, true}) {
            String json = UnigramFixture.json(byteFallback);
            Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
            try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
                int checked = ReferenceComparison.assertSameSpans(tok, hf, texts);
                System.out.println("Unigram (byte fallback " + byteFallback + "): spans equal Hugging Face's offsets on " + checked + " of " + texts.size() + " texts");
            }
        }
    }

    /**
     * Viterbi worked out by hand on a five-piece vocabulary (no charsmap, prefix ▁):
     * <pre>
     *   id 0 &lt;unk&gt; 0 | 1 ▁ -1 | 2 ▁a -2 | 3 b -2 | 4 ▁ab -5 | 5 a -1.5 | 6 ab -2.25
     * </pre>
     * "ab" becomes "▁ab": ▁ab = -5; ▁a+b = -4; ▁+ab = -3.25; ▁+a+b = -4.5; best ▁ ab = [1, 6].
     * "abab" becomes "▁abab": ▁ ab ab = -5.5 beats ▁a b ab = -6.25 and the others; [1, 6, 6].
     * "ac": c is no piece; the unknown token scores min(-5) - 10 = -15: ▁a c = -17, ▁ a c = -17.5; [2, 0].
     * "cc": both c unknown and fused into one unknown token: ▁ c c = -31 → [1, 0].
     */
    @Test
    void handCheckedViterbi() {
        Metadata md = new Metadata();
        md.putString("tokenizer.ggml.model", "t5");
        md.putStringArray("tokenizer.ggml.tokens", new String[]{"<unk>", "\u2581", "\u2581a", "b", "\u2581ab", "a", "ab"});
        md.putFloatArray("tokenizer.ggml.scores", new float[]{0f, -1f, -2f, -2f, -5f, -1.5f, -2.25f});
        md.putInt32Array("tokenizer.ggml.token_type", new int[]{2, 1, 1, 1, 1, 1, 1});
        md.putUInt32("tokenizer.ggml.unknown_token_id", 0);
        md.putBool("tokenizer.ggml.add_eos_token", false);
        Tokenizer tok = Tokenizer.fromMetadata(md);
        assertArrayEquals(new int[]{1, 6}, tok.encode("ab"));
        assertArrayEquals(new int[]{1, 6, 6}, tok.encode("abab"));
        assertArrayEquals(new int[]{2, 0}, tok.encode("ac"));
        assertArrayEquals(new int[]{1, 0}, tok.encode("cc"));
        assertEquals("abab", tok.decode(new int[]{1, 6, 6}));
    }

    @Test
    void longInputs() {
        String json = UnigramFixture.json(false);
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            String letters = "thefileversion".repeat(70_000); // ~1 MB, one word
            assertArrayEquals(hf.encode(letters, true), tok.encode(letters));
        }
    }
}
