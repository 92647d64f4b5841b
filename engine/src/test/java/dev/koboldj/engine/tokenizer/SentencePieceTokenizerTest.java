package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SentencePiece BPE against Hugging Face on the Llama-2 tokenizer in ../shared (skipped when absent). */
class SentencePieceTokenizerTest {
    @Test
    void llama2() throws IOException {
        Path json = TestTexts.shared("data/tokenizers/llama2.tokenizer.json.xz");
        Path config = TestTexts.shared("data/tokenizers/llama2.tokenizer_config.json");
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, config));
        try (HfReference hf = HfReference.of(json)) {
            assertEquals("llama", tok.model());
            assertTrue(tok.special().addBos());
            ReferenceComparison.assertSameIds("Llama-2 edge cases", tok, hf, TestTexts.edgeCases(), true);
            ReferenceComparison.assertSameIds("Llama-2 corpus", tok, hf, TestTexts.corpus(), true);
            java.util.List<String> texts = new java.util.ArrayList<>(TestTexts.edgeCases());
            texts.addAll(TestTexts.corpus());
            int checked = ReferenceComparison.assertSameSpans(tok, hf, texts);
            System.out.println("Llama-2: spans equal Hugging Face's offsets on " + checked + " of " + texts.size() + " texts");
            String letters = "abcdefghij".repeat(100_000);
            assertArrayEquals(hf.encode(letters, true), tok.encode(letters));
        }
    }
}
