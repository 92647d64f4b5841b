package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decoding arbitrary id sequences (split multi-byte characters, byte tokens, special and continuation tokens in
 * any order) against Hugging Face's decode with skip_special_tokens=true.
 */
class DecodeTest {
    static void compareRandom(String label, Tokenizer tok, HfReference hf, long seed) {
        Random r = new Random(seed);
        List<String> problems = new ArrayList<>();
        int n = 2000;
        int mismatches = 0;
        for (int k = 0; k < n; k++) {
            int[] ids = new int[1 + r.nextInt(12)];
            for (int i = 0; i < ids.length; i++) {
                // half the ids from the low (byte, special, short) end of the vocabulary, half anywhere
                ids[i] = r.nextBoolean() ? r.nextInt(Math.min(600, tok.vocabSize())) : r.nextInt(tok.vocabSize());
            }
            String expected = hf.decode(ids);
            String actual = tok.decode(ids);
            if (!expected.equals(actual)) {
                mismatches++;
                if (problems.size() < 8) problems.add(Arrays.toString(ids) + "\n   hf:      " + ReferenceComparison.quote(expected) + "\n   koboldj: " + ReferenceComparison.quote(actual));
            }
        }
        System.out.printf("%s: %d random id sequences decoded, mismatches = %d%n", label, n, mismatches);
        if (mismatches > 0) fail(label + ": " + mismatches + " decodes differ\n" + String.join("\n", problems));
    }

    @Test
    void miniLm() {
        String json = TestTexts.resource("all-minilm-l6-v2-tokenizer.json");
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            compareRandom("all-MiniLM-L6-v2", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null)), hf, 1);
        }
    }

    @Test
    void unigramWithByteFallback() {
        String json = UnigramFixture.json(true);
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            compareRandom("Unigram (constructed, byte fallback)", Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null)), hf, 2);
        }
    }

    @Test
    void sharedVocabularies() throws IOException {
        for (String name : List.of("qwen3", "llama3", "llama2")) {
            Path json = TestTexts.shared("data/tokenizers/" + name + ".tokenizer.json.xz");
            try (HfReference hf = HfReference.of(json)) {
                compareRandom(name, Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null)), hf, 3);
            }
        }
    }
}
