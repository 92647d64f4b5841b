package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Unicode code points through koboldj and Hugging Face in contexts that exercise each pipeline's character classes
 * (letter, number, whitespace, punctuation, control, CJK, marks) and normalisations, to catch differences between
 * the JDK's Unicode tables and the older ones of Hugging Face's Rust crates.
 */
class CodePointSweepTest {

    /**
     * The code points whose classes can differ between Unicode versions: every assigned one except private use,
     * every one in BertNormalizer's CJK ranges, and every 97th unassigned and every 251st private-use one (those
     * are plain "other" characters to both sides; the full sweep was run once and agreed).
     */
    static int[] sweepCodePoints() {
        IntStream.Builder b = IntStream.builder();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            int type = Character.getType(cp);
            if (type == Character.SURROGATE) continue;
            boolean swept = switch (type) {
                case Character.UNASSIGNED -> BertUnicode.isChinese(cp) || cp % 97 == 0;
                case Character.PRIVATE_USE -> cp % 251 == 0;
                default -> true;
            };
            if (swept) b.add(cp);
        }
        return b.build().toArray();
    }

    /** Each swept code point c in the line "xcx c1 'c cc" (letters, a digit, a quote, spaces and itself around it). */
    static List<String> sweepTexts() {
        List<String> texts = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        int inText = 0;
        for (int cp : sweepCodePoints()) {
            String c = new String(Character.toChars(cp));
            sb.append('x').append(c).append("x ").append(c).append("1 '").append(c).append(' ').append(c).append(c).append('\n');
            if (++inText == 500) {
                texts.add(sb.toString());
                sb.setLength(0);
                inText = 0;
            }
        }
        if (!sb.isEmpty()) texts.add(sb.toString());
        return texts;
    }

    static void compare(String label, Tokenizer tok, HfReference hf) {
        List<String> texts = sweepTexts();
        List<String> problems = new ArrayList<>();
        int mismatches = 0;
        for (String text : texts) {
            if (!Arrays.equals(hf.encode(text, false), tok.encode(text, false))) {
                mismatches++;
                if (problems.size() < 5) problems.add(firstDifference(text, tok, hf));
            }
        }
        System.out.printf("%s: %d code points swept in %d texts, mismatches = %d%n", label, sweepCodePoints().length, texts.size(), mismatches);
        if (mismatches > 0) fail(label + ": " + mismatches + " texts differ\n" + String.join("\n", problems));
    }

    /** Narrows a differing text down to its first differing line. */
    static String firstDifference(String text, Tokenizer tok, HfReference hf) {
        for (String line : text.split("\n")) {
            if (!Arrays.equals(hf.encode(line, false), tok.encode(line, false))) {
                return "line " + ReferenceComparison.quote(line) + " (U+" + Integer.toHexString(line.codePointAt(1)).toUpperCase() + ")\n   hf:      "
                        + Arrays.toString(hf.encode(line, false)) + " " + Arrays.toString(hf.tokens(line)) + "\n   koboldj: " + Arrays.toString(tok.encode(line, false));
            }
        }
        return "text differs only as a whole: " + ReferenceComparison.quote(text);
    }

    private static void sweepResource(String label, String resource) {
        String json = TestTexts.resource(resource);
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        try (HfReference hf = HfReference.of(TestTexts.writeTemp(json))) {
            compare(label, tok, hf);
        }
    }

    private static void sweepShared(String label, String name) throws IOException {
        Path json = TestTexts.shared("data/tokenizers/" + name + ".tokenizer.json.xz");
        Tokenizer tok = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(json, null));
        try (HfReference hf = HfReference.of(json)) {
            compare(label, tok, hf);
        }
    }

    /** Lower-casing, accent stripping, BERT's control/punctuation/CJK classes. */
    @Test
    void miniLm() {
        sweepResource("all-MiniLM-L6-v2", "all-minilm-l6-v2-tokenizer.json");
    }

    /** BERT's classes without lower-casing and accent stripping. */
    @Test
    void bgeSmallZh() {
        sweepResource("bge-small-zh-v1.5", "bge-small-zh-v1.5-tokenizer.json");
    }

    /** The classes of the Qwen2 regex (\s, \p{L}, \p{N}; Llama-3's are the same) and NFC. */
    @Test
    void qwen3() throws IOException {
        sweepShared("Qwen3", "qwen3");
    }
}
