package dev.koboldj.engine.tokenizer;

/**
 * Hugging Face's BertNormalizer followed by its BertPreTokenizer: drops control characters, NUL and U+FFFD, turns
 * whitespace into spaces, puts spaces around CJK ideographs, optionally strips accents (NFD, then drop nonspacing
 * marks) and lower-cases (per character, without context: final sigma stays sigma, U+0130 becomes "i" + U+0307),
 * then splits the result into words at whitespace and isolates each punctuation character as a word.
 */
final class BertNormalizer {
    /** Receives each word as the chars {@code buf[from, to)}; the buffer is reused after the call. */
    interface WordSink {
        void word(char[] buf, int from, int to);
    }

    private final boolean lowercase;
    private final boolean stripAccents;

    BertNormalizer(boolean lowercase, boolean stripAccents) {
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
    }

    /** Receives each word as {@link WordSink} does, plus, per char {@code buf[i]}, the chars {@code [starts[i], ends[i])} of the text it comes from. */
    interface LocatedWordSink {
        void word(char[] buf, int from, int to, int[] starts, int[] ends);
    }

    void words(String text, WordSink sink) {
        if (isAscii(text)) {
            char[] buf = new char[text.length()];
            split(buf, asciiNormalize(text, buf), sink);
            return;
        }
        String s = normalize(text);
        split(s.toCharArray(), s.length(), sink);
    }

    /**
     * {@link #words} that also tells where each char comes from, normalising code point by code point. That gives the
     * same text as {@link #words} except where NFD's canonical reordering moves a kept mark across code points; then
     * nothing is reported and the result is false.
     */
    boolean wordsWithSpans(String text, LocatedWordSink sink) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        IntList starts = new IntList(text.length() + 16), ends = new IntList(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i), next = i + Character.charCount(cp);
            String piece = normalize(text.substring(i, next));
            for (int j = 0; j < piece.length(); j++) {
                starts.add(i);
                ends.add(next);
            }
            sb.append(piece);
            i = next;
        }
        char[] buf = sb.toString().toCharArray();
        char[] whole = new char[text.length()];
        whole = isAscii(text) ? java.util.Arrays.copyOf(whole, asciiNormalize(text, whole)) : normalize(text).toCharArray();
        if (!java.util.Arrays.equals(buf, whole)) return false;
        int[] s = starts.toArray(), e = ends.toArray();
        split(buf, buf.length, (b, from, to) -> sink.word(b, from, to, s, e));
        return true;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) >= 0x80) return false;
        return true;
    }

    /** The ASCII text's normalised chars into {@code buf}; returns how many. */
    private int asciiNormalize(String text, char[] buf) {
        int m = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (BertUnicode.isControl(c) || c == 0) continue;
            if (BertUnicode.isWhitespace(c)) c = ' ';
            else if (lowercase && c >= 'A' && c <= 'Z') c += 'a' - 'A';
            buf[m++] = c;
        }
        return m;
    }

    /** The normalised text (the whole pipeline; {@link #words} takes a faster path for ASCII text). */
    String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || BertUnicode.isControl(cp)) continue;
            if (BertUnicode.isWhitespace(cp)) sb.append(' ');
            else if (BertUnicode.isChinese(cp)) sb.append(' ').appendCodePoint(cp).append(' ');
            else sb.appendCodePoint(cp);
        }
        String s = sb.toString();
        if (stripAccents) s = stripAccents(s);
        if (lowercase) s = lowercase(s);
        return s;
    }

    private static String stripAccents(String s) {
        String d = HfNormalization.nfd(s);
        StringBuilder sb = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); ) {
            int cp = d.codePointAt(i);
            i += Character.charCount(cp);
            if (!BertUnicode.isStrippedMark(cp)) sb.appendCodePoint(cp);
        }
        return sb.toString();
    }


    private static String lowercase(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0x130) sb.append("i\u0307"); // the one unconditional multi-character lower-case mapping
            else sb.appendCodePoint(Character.toLowerCase(cp));
        }
        return sb.toString();
    }

    private static void split(char[] buf, int n, WordSink sink) {
        int wordStart = -1;
        for (int i = 0; i < n; ) {
            int cp = Character.codePointAt(buf, i, n);
            int len = Character.charCount(cp);
            if (BertUnicode.isWhitespace(cp)) {
                if (wordStart >= 0) sink.word(buf, wordStart, i);
                wordStart = -1;
            } else if (BertUnicode.isPunctuation(cp)) {
                if (wordStart >= 0) sink.word(buf, wordStart, i);
                wordStart = -1;
                sink.word(buf, i, i + len);
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i += len;
        }
        if (wordStart >= 0) sink.word(buf, wordStart, n);
    }
}
