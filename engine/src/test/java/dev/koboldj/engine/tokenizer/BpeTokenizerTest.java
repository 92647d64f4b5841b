package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level BPE against Hugging Face on the Qwen3 and Llama-3 tokenizers in ../shared (skipped when absent). */
class BpeTokenizerTest {

    private record Loaded(Tokenizer tokenizer, HfReference hf) implements AutoCloseable {
        @Override
        public void close() {
            hf.close();
        }
    }

    private static Loaded load(String name) throws IOException {
        Path json = TestTexts.shared("data/tokenizers/" + name + ".tokenizer.json.xz");
        Path config = TestTexts.shared("data/tokenizers/" + name + ".tokenizer_config.json");
        return new Loaded(Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, config)), HfReference.of(json));
    }

    @Test
    void qwen3() throws IOException {
        try (Loaded q = load("qwen3")) {
            assertEquals("gpt2", q.tokenizer.model());
            ReferenceComparison.assertSameIds("Qwen3 edge cases", q.tokenizer, q.hf, TestTexts.edgeCases(), true);
            ReferenceComparison.assertSameIds("Qwen3 corpus", q.tokenizer, q.hf, TestTexts.corpus(), true);
            SpecialTokens s = q.tokenizer.special();
            assertFalse(s.addBos());
            assertFalse(s.addEos());
            // the embedding layer appends <|endoftext|> itself; it is the padding token of Qwen3's config
            assertEquals(q.hf.encode("<|endoftext|>", false)[0], s.pad());
        }
    }

    @Test
    void llama3() throws IOException {
        try (Loaded l = load("llama3")) {
            ReferenceComparison.assertSameIds("Llama-3 edge cases", l.tokenizer, l.hf, TestTexts.edgeCases(), true);
            ReferenceComparison.assertSameIds("Llama-3 corpus", l.tokenizer, l.hf, TestTexts.corpus(), true);
            assertEquals(l.hf.encode("<|begin_of_text|>", false)[0], l.tokenizer.special().bos());
            assertEquals(l.hf.encode("<|end_of_text|>", false)[0], l.tokenizer.special().eos());
        }
    }

    @Test
    void spansAreHuggingFacesOffsets() throws IOException {
        List<String> texts = new ArrayList<>(TestTexts.edgeCases());
        texts.addAll(TestTexts.corpus());
        for (String name : List.of("qwen3", "llama3")) {
            try (Loaded l = load(name)) {
                int checked = ReferenceComparison.assertSameSpans(l.tokenizer, l.hf, texts);
                System.out.println(name + ": spans equal Hugging Face's offsets on " + checked + " of " + texts.size() + " texts");
            }
        }
    }

    @Test
    void veryLongInputs() throws IOException {
        try (Loaded q = load("qwen3")) {
            String letters = "abcdefghij".repeat(100_000); // one 1 MB pre-token
            assertArrayEquals(q.hf.encode(letters, false), q.tokenizer.encode(letters, false));
            String spaces = " ".repeat(200_000) + "x";
            assertArrayEquals(q.hf.encode(spaces, false), q.tokenizer.encode(spaces, false));
        }
    }
}
