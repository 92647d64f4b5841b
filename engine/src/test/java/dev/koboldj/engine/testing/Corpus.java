package dev.koboldj.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** Test texts: the shared English corpus and edge cases of our own. */
public final class Corpus {
    private Corpus() {
    }

    /** The 1000-line English corpus from ../shared (skips the calling test, with a printed reason, when absent). */
    public static List<String> english() {
        try {
            return Files.readAllLines(SharedData.require("data/corpus-en-1000.txt"), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scripts, marks, emoji, control and zero-width characters, long words, whitespace runs. */
    public static final List<String> EDGE_CASES = List.of(
            "Hello world", "a", "Short.", "The quick brown fox jumps over the lazy dog.",
            "中文字符和日本語のテキスト", "한국어 문장을 토큰화합니다", "हिन्दी में एक वाक्य", "العربية نص قصير", "עברית טקסט", "ภาษาไทยไม่มีช่องว่าง",
            "Кириллица и латиница", "café vs cafe\u0301 (precomposed vs combining)", "emoji 🙂👍🏽 and ZWJ 👨‍👩‍👧‍👦", "ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ",
            "control\u0001chars\u0007and\u200Bzero\u200Dwidth", "supercalifragilisticexpialidocious" + "x".repeat(120),
            "tabs\tand\n\nnewlines   and    runs     of spaces", "Punctuation!!! (brackets) [more] {braces} <angle> \"quotes\" 'single' ...",
            "A much longer sentence that goes on and on, with commas, semicolons; colons: and other punctuation marks!");
}
