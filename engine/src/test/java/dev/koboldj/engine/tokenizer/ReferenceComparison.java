package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Compares koboldj's ids (and decoded text) with the Hugging Face reference over many texts; reports every mismatch. */
final class ReferenceComparison {
    private ReferenceComparison() {
    }

    /**
     * Encodes each text with special tokens (both sides) and, unless {@code checkDecode} is false, decodes the
     * reference ids with both. Prints a summary line and fails listing the first mismatches.
     */
    static void assertSameIds(String label, Tokenizer tok, HfReference hf, List<String> texts, boolean checkDecode) {
        List<String> problems = new ArrayList<>();
        int idMismatches = 0;
        int decodeMismatches = 0;
        long tokens = 0;
        for (String text : texts) {
            int[] expected = hf.encode(text, true);
            int[] actual = tok.encode(text);
            tokens += expected.length;
            if (!Arrays.equals(expected, actual)) {
                idMismatches++;
                if (problems.size() < 12) problems.add("ids differ for " + quote(text) + "\n   hf:      " + Arrays.toString(expected)
                        + "\n   koboldj: " + Arrays.toString(actual) + "\n   hf tokens: " + Arrays.toString(hf.tokens(text)));
            }
            int[] plain = hf.encode(text, false);
            int[] actualPlain = tok.encode(text, false);
            if (!Arrays.equals(plain, actualPlain)) {
                idMismatches++;
                if (problems.size() < 12) problems.add("ids without special tokens differ for " + quote(text) + "\n   hf:      " + Arrays.toString(plain)
                        + "\n   koboldj: " + Arrays.toString(actualPlain));
            }
            if (checkDecode) {
                String hfText = hf.decode(expected);
                String ours = tok.decode(expected);
                if (!hfText.equals(ours)) {
                    decodeMismatches++;
                    if (problems.size() < 12) problems.add("decode differs for " + quote(text) + "\n   hf:      " + quote(hfText) + "\n   koboldj: " + quote(ours));
                }
            }
        }
        System.out.printf("%s: %d texts compared (%d reference tokens), id mismatches = %d, decode mismatches = %d%n",
                label, texts.size(), tokens, idMismatches, decodeMismatches);
        if (!problems.isEmpty()) fail(label + ": " + idMismatches + " id and " + decodeMismatches + " decode mismatches\n" + String.join("\n", problems));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < s.length() && shown < 160; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || Character.getType(cp) == Character.FORMAT) sb.append(String.format("\\u%04X", cp));
            else sb.appendCodePoint(cp);
        }
        if (s.codePointCount(0, s.length()) > 160) sb.append("…(").append(s.length()).append(" chars)");
        return sb.append('"').toString();
    }

    /**
     * {@link Tokenizer#encodeWithSpans} gives the ids of {@link Tokenizer#encode} and Hugging Face's offsets (which count
     * code points; ours are UTF-16 indices) for every token. Returns how many texts had spans.
     */
    static int assertSameSpans(Tokenizer ours, HfReference hf, List<String> texts) {
        int checked = 0;
        for (String text : texts) {
            TokenSpans s = ours.encodeWithSpans(text, true);
            org.junit.jupiter.api.Assertions.assertArrayEquals(ours.encode(text, true), s.ids(), () -> "ids with and without spans for " + text);
            if (!s.hasSpans()) continue;
            checked++;
            int[][] want = hf.spans(text, true);
            for (int i = 0; i < want.length; i++) {
                int[] got = s.starts()[i] < 0 ? null : new int[]{text.codePointCount(0, s.starts()[i]), text.codePointCount(0, s.ends()[i])};
                int token = i;
                org.junit.jupiter.api.Assertions.assertArrayEquals(want[i], got, () -> "token " + token + " of " + quote(text) + ": " + Arrays.toString(hf.tokens(text)));
            }
        }
        return checked;
    }
}
