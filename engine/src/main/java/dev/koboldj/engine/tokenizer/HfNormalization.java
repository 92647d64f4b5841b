package dev.koboldj.engine.tokenizer;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * NFD and NFC as Hugging Face tokenizers compute them. Its Unicode tables predate Unicode 13, so it neither
 * decomposes nor composes the few characters whose canonical decompositions are newer (Dives Akuru, Vithkuqi,
 * Tulu-Tigalari, Gurung Khema, Kirat Rai). The JDK's normaliser is used on the text between those characters and
 * their components, which are left as they are.
 */
final class HfNormalization {
    /** Characters with a canonical decomposition newer than Hugging Face's tables (inclusive ranges). */
    private static final int[] NEW_DECOMPOSITION = {
            0x105C9, 0x105C9, 0x105E4, 0x105E4, 0x11383, 0x11383, 0x11385, 0x11385, 0x1138E, 0x1138E,
            0x11391, 0x11391, 0x113C5, 0x113C5, 0x113C7, 0x113C8, 0x11938, 0x11938, 0x16121, 0x16128,
            0x16D68, 0x16D6A};
    /** The new characters above and the characters they decompose into, sorted. */
    private static final int[] UNTOUCHED;

    static {
        java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
        for (int r = 0; r < NEW_DECOMPOSITION.length; r += 2) {
            for (int cp = NEW_DECOMPOSITION[r]; cp <= NEW_DECOMPOSITION[r + 1]; cp++) {
                set.add(cp);
                Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD).codePoints().forEach(set::add);
            }
        }
        UNTOUCHED = set.stream().mapToInt(Integer::intValue).toArray();
    }

    private HfNormalization() {
    }

    private static boolean untouched(int cp) {
        return cp >= UNTOUCHED[0] && Arrays.binarySearch(UNTOUCHED, cp) >= 0;
    }

    static String nfd(String s) {
        return normalize(s, Normalizer.Form.NFD);
    }

    /** NFC; text below U+0300 is returned as is (no character there has an NFC quick-check value other than Yes). */
    static String nfc(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x300) return normalize(s, Normalizer.Form.NFC);
        }
        return s;
    }

    private static String normalize(String s, Normalizer.Form form) {
        StringBuilder sb = null;
        int from = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp >= 0x10000 && untouched(cp)) {
                if (sb == null) sb = new StringBuilder(s.length() + 16);
                sb.append(Normalizer.normalize(s.substring(from, i), form)).appendCodePoint(cp);
                from = next;
            }
            i = next;
        }
        if (sb == null) return Normalizer.normalize(s, form);
        return sb.append(Normalizer.normalize(s.substring(from), form)).toString();
    }

    /**
     * NFC that also tells where each char comes from ({@code [starts[i], ends[i])} of {@code s}), composing grapheme
     * cluster by grapheme cluster; null when that differs from {@code expected}, the text's {@link #nfc}. As in Hugging
     * Face, the code points of a cluster are consumed in order: each output code point takes as many as its canonical
     * decomposition has and comes from the first of them (a composed character from its base, whatever order its marks
     * were in).
     */
    static String alignedNfc(String s, String expected, IntList starts, IntList ends) {
        StringBuilder sb = new StringBuilder(s.length());
        java.text.BreakIterator clusters = java.text.BreakIterator.getCharacterInstance();
        clusters.setText(s);
        for (int start = clusters.first(), end = clusters.next(); end != java.text.BreakIterator.DONE; start = end, end = clusters.next()) {
            String composed = nfc(s.substring(start, end));
            int last = s.offsetByCodePoints(end, -1), source = start;
            for (int k = 0; k < composed.length(); ) {
                int cp = composed.codePointAt(k), units = Character.charCount(cp);
                int sourceEnd = source + Character.charCount(s.codePointAt(source));
                for (int u = 0; u < units; u++) {
                    starts.add(source);
                    ends.add(sourceEnd);
                }
                sb.appendCodePoint(cp);
                k += units;
                String decomposed = nfd(new String(Character.toChars(cp)));
                int consumed = decomposed.codePointCount(0, decomposed.length());
                for (int c = 0; c < consumed && source < last; c++) source += Character.charCount(s.codePointAt(source));
            }
        }
        return expected.contentEquals(sb) ? expected : null;
    }

    /**
     * Records where the chars {@code sb[appended..]} come from, given that they replaced {@code text[from, to)}: as Hugging
     * Face aligns a replacement, its j-th code point comes from the j-th code point replaced, or from the last one when
     * the replacement is longer (both UTF-16 units of a supplementary character from the same source).
     */
    static void align(StringBuilder sb, int appended, String text, int from, int to, IntList starts, IntList ends) {
        int last = text.offsetByCodePoints(to, -1);
        for (int k = appended, source = from; k < sb.length(); ) {
            int units = Character.charCount(sb.codePointAt(k)), sourceEnd = source + Character.charCount(text.codePointAt(source));
            for (int u = 0; u < units; u++, k++) {
                starts.add(source);
                ends.add(sourceEnd);
            }
            if (source < last) source = sourceEnd;
        }
    }
}
