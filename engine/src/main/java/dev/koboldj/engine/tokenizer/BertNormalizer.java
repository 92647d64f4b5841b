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

    void words(String text, WordSink sink) {
        int n = text.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            char[] buf = new char[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (BertUnicode.isControl(c) || c == 0) continue;
                if (BertUnicode.isWhitespace(c)) c = ' ';
                else if (lowercase && c >= 'A' && c <= 'Z') c += 'a' - 'A';
                buf[m++] = c;
            }
            split(buf, m, sink);
            return;
        }
        String s = normalize(text);
        split(s.toCharArray(), s.length(), sink);
    }

    /** The normalised text of a segment that has non-ASCII characters. */
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
