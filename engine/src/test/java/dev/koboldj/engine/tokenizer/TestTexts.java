package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tukaani.xz.XZInputStream;

/** Texts and vocabularies the tokenizer tests share. */
final class TestTexts {
    private TestTexts() {
    }

    /** Hand-written edge cases: many scripts, normalisation corner cases, control characters, long words. */
    static List<String> edgeCases() {
        List<String> t = new ArrayList<>(List.of(
                "", " ", "   ", "a", "Hello World", "hello world", "HELLO WORLD",
                "a  b", "a\tb", "a\nb", "a\r\nb", "\t\n\r", "  leading spaces", "trailing spaces   ", "\n\n\n",
                " \n \n\n \t \t\t \t\n  \n   \n    \n     \n", "a\u00A0b", "a\u3000b", "a\u2003b\u2028c\u2029d",
                "line1\nline2\r\n\r\nline3\n", "word \n word", "word\u0085word", "a\u000Bb\u000Cc",
                // CJK, Japanese, Korean, Indic, RTL, Thai, Cyrillic, Greek
                "我想在apple工作1314151天～", "中文分词测试，标点符号。", "北京是中华人民共和国的首都", "日本語のテキストです。カタカナとひらがな。",
                "안녕하세요, 세계! 한국어 문장입니다.", "대한민국의 수도는 서울이다", "\u1100\u1161\u11A8 decomposed hangul",
                "नमस्ते दुनिया, यह एक वाक्य है।", "हिन्दी भाषा में लिखा गया पाठ", "মাতৃভাষা বাংলা", "தமிழ் மொழி",
                "مرحبا بالعالم، هذه جملة.", "שלום עולם, זה משפט.", "สวัสดีชาวโลก นี่คือประโยค", "ກະລຸນາ", "ភាសាខ្មែរ កាន់តែពិសេសអាច😁",
                "Привет, мир! Это предложение на русском.", "нещо на Български", "ΣΑΣ Ελληνικά ΟΔΥΣΣΕΥΣ", "Ꭰꭰ cherokee",
                // combining marks vs precomposed
                "café", "cafe\u0301", "Å Å", "ñ ñ", "naïve résumé", "Ǆ ǅ ǆ", "ﬁ ﬂ ligatures", "İstanbul ıi", "ß ẞ",
                "e\u0301\u0302\u0323 stacked", "\u0301 leading combining", "Zalgo: Z\u0351\u0307a\u0308\u0301l\u0300g\u0303o\u0360",
                // emoji and ZWJ sequences
                "I 🥰 you 😀", "👨\u200D👩\u200D👧\u200D👦 family", "🏳\uFE0F\u200D🌈 flag", "👍🏽 thumbs", "🇩🇪🇫🇷🇯🇵",
                "🚀 (normal) 😶\u200D🌫\uFE0F (multiple emojis concatenated) ✅ 🦙🦙", "♥\uFE0F ☺", "🦙🦙🦙🦙🦙",
                // full-width and compatibility forms
                "ＡＢＣ１２３！？", "ｶﾞｷﾞｸﾞ halfwidth", "㍻ ㌀ ℃ ™ ½ ²", "Ⅻ ① ⑴ ⒜",
                // control and zero-width characters
                "a\u0000b", "a\u0001b\u0007c\u001Fd", "x\u200By", "\uFEFFbom", "a\u200Db", "a\u200Cb", "a\u00ADb",
                "\u202Eright-to-left\u202C", "\uFFFD replacement", "del\u007Fchar", "\u2060word joiner",
                // long words and whitespace runs
                "a".repeat(99), "a".repeat(100), "a".repeat(101), "é".repeat(101), "Pneumonoultramicroscopicsilicovolcanoconiosis",
                "supercalifragilisticexpialidocious".repeat(4), "x" + "\u0301".repeat(120),
                "http://www.example.com/very/long/path/to/some/resource.html?query=string&another=value#fragment",
                "word" + " ".repeat(50) + "word", "\t".repeat(10) + "tabs",
                // numbers and contractions
                "3 33 333 3333 33333 333333 3333333 33333333 3.3 3..3 3...3", "3.14159 1,000,000 ٣٤٥ ०१२ ①②③", "٣٤٥٦٧ ०१२३४५ １２３４ ⅠⅡⅢⅣ 12345678 ١٢٣abc",
                "I've been 'told he's there, 'RE you sure? 'M not sure I'll make it, 'D you like some tea? We'Ve a'lL",
                "don't won't can't shouldn't", "'s 't 're 've 'm 'll 'd 'ſ 'K",
                // punctuation
                "------======= ......!!!!!!?????? ''''''```````\"\"\"\"", "a...b", "«quoted» „German“ ‘single’ ‹›",
                "Hello, world! How are you? I'm fine; thanks: (really) [yes] {no} <maybe>", "¿Qué? ¡Sí!", "…—–•·",
                // specials appearing as text
                "[CLS] [SEP] [MASK] [UNK] [PAD]", "a[CLS]b [cls]", "<s> </s> <unk> <pad> <mask>",
                "<|endoftext|><|im_start|>user\nhi<|im_end|>", "<|begin_of_text|>hello<|end_of_text|>", "<think>\nhmm\n</think>",
                // code, maths, currency, mixed scripts
                "def f(x):\n    return x**2  # comment\n\tif x: pass", "{\"json\": [1, 2, 3], \"k\": null}",
                "a_b_c snake_case camelCase PascalCase kebab-case", "∑ ∫ √ ∞ ≠ ≤ ≥ ± × ÷ ∂", "$100 €50 £30 ¥20 ₹10 ₿1",
                "Hello世界Привет123مرحبا", "ðÞþ Ωμέγα ĳ Ŀ"));
        t.add(mixedLongLine());
        return t;
    }

    /** A long line of punctuation-heavy mixed text (llama.cpp's WordPiece differed from Hugging Face on such lines). */
    static String mixedLongLine() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("item-").append(i).append(": (a/b) [c|d] {e,f}; ").append("naïve ").append("한국어 ").append("हिन्दी ").append(i % 7 == 0 ? "😀, " : "... ");
        }
        return sb.toString();
    }

    /** Lines of ../shared/data/corpus-en-1000.txt, or a printed skip when absent. */
    static List<String> corpus() {
        Path p = SharedData.require("data/corpus-en-1000.txt");
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The corpus lines when ../shared is present, else none (with the reason printed). */
    static List<String> corpusIfPresent() {
        Path p = SharedData.root().resolve("data/corpus-en-1000.txt");
        if (!Files.isRegularFile(p)) {
            System.out.println("SKIPPED (corpus part only): " + p + " is absent (../shared is not beside this checkout)");
            return List.of();
        }
        return corpus();
    }

    /** A resource on the test classpath as a string (tokenizer.json files inside Maven artifacts). */
    static String resource(String name) {
        try (InputStream in = Objects.requireNonNull(TestTexts.class.getResourceAsStream("/" + name), name + " is not on the classpath")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ../shared tokenizer file: .xz files are decompressed into a temporary file; absent ones skip the test. */
    static Path shared(String relative) {
        Path p = SharedData.require(relative);
        if (!relative.endsWith(".xz")) return p;
        try (InputStream in = new XZInputStream(Files.newInputStream(p))) {
            Path out = Files.createTempFile("shared-", "-" + p.getFileName().toString().replace(".xz", ""));
            out.toFile().deleteOnExit();
            Files.write(out, in.readAllBytes());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path writeTemp(String content) {
        try {
            Path out = Files.createTempFile("tokenizer-", ".json");
            out.toFile().deleteOnExit();
            Files.writeString(out, content);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
