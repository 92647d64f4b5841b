package dev.koboldj.engine.tokenizer;

/**
 * The pre-tokenizer regexes of byte-level BPE models, as hand-written scanners that find exactly the matches
 * Oniguruma finds (leftmost alternative first, greedy, with the regexes' backtracking worked out), in linear time
 * and without allocation. Whitespace ({@code \s}) is the Unicode White_Space property, letters ({@code \p{L}}) and
 * numbers ({@code \p{N}}) the general categories L* and N*.
 */
enum BpePreTokenizer {
    /** ByteLevel's own regex: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    GPT2,
    /**
     * Llama-3: {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|}
     * {@code \s*[\r\n]+|\s+(?!\S)|\s+}.
     */
    LLAMA3,
    /** Qwen2: as Llama-3, but one digit per piece ({@code \p{N}}). */
    QWEN2;

    /** Receives each piece as {@code text[from, to)}. */
    interface Sink {
        void piece(int from, int to);
    }

    private static final int OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = (byte) classify(c);
    }

    private static int classify(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    private static boolean isWhiteSpace(int cp) {
        return (cp >= 9 && cp <= 13) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static int classAt(String s, int i) {
        char c = s.charAt(i);
        if (c < 128) return ASCII[c];
        return classify(s.codePointAt(i));
    }

    private static int next(String s, int i) {
        return i + (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1);
    }

    /** End of the run of characters of class {@code cls} starting at {@code i}. */
    private static int run(String s, int i, int cls) {
        int n = s.length();
        while (i < n && classAt(s, i) == cls) i = next(s, i);
        return i;
    }

    private static boolean isNewline(char c) {
        return c == '\r' || c == '\n';
    }

    void split(String s, Sink sink) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int end = this == GPT2 ? matchGpt2(s, i) : matchLlama3(s, i, this == QWEN2 ? 1 : 3);
            sink.piece(i, end);
            i = end;
        }
    }

    /** Length of a contraction at {@code i} ('s 't 're 've 'm 'll 'd), 0 if none. */
    private static int contraction(String s, int i, boolean ignoreCase) {
        int n = s.length();
        if (s.charAt(i) != '\'' || i + 1 >= n) return 0;
        char a = s.charAt(i + 1);
        char b = i + 2 < n ? s.charAt(i + 2) : 0;
        if (ignoreCase) {
            a = foldAscii(a);
            b = foldAscii(b);
        }
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
        return 0;
    }

    /** ASCII case folding plus the two non-ASCII characters that fold onto contraction letters. */
    private static char foldAscii(char c) {
        if (c >= 'A' && c <= 'Z') return (char) (c + 32);
        if (c == '\u017F') return 's'; // LATIN SMALL LETTER LONG S
        return c;
    }

    private static int matchGpt2(String s, int i) {
        int n = s.length();
        int c = contraction(s, i, false);
        if (c > 0) return i + c;
        int cls = classAt(s, i);
        int start = i;
        if (s.charAt(i) == ' ' && i + 1 < n) {
            int nextCls = classAt(s, i + 1);
            if (nextCls != SPACE) {
                cls = nextCls;
                start = i + 1;
            }
        }
        if (cls != SPACE) return run(s, start, cls); // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+'
        return whitespace(s, i);
    }

    /** {@code \s+(?!\S)|\s+}: a whitespace run, less its last character when a non-space follows (if that leaves any). */
    private static int whitespace(String s, int i) {
        int e = run(s, i, SPACE);
        if (e == s.length()) return e;
        int last = Character.isLowSurrogate(s.charAt(e - 1)) && e - 2 >= i ? e - 2 : e - 1;
        return last > i ? last : e;
    }

    private static int matchLlama3(String s, int i, int maxDigits) {
        int n = s.length();
        int c = contraction(s, i, true);
        if (c > 0) return i + c;
        char ch = s.charAt(i);
        int cls = classAt(s, i);
        int after = next(s, i);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == LETTER) return run(s, after, LETTER);
        if (cls != NUMBER && !isNewline(ch) && after < n && classAt(s, after) == LETTER) return run(s, after, LETTER);
        // \p{N}{1,maxDigits}
        if (cls == NUMBER) {
            int e = i;
            for (int k = 0; k < maxDigits && e < n && classAt(s, e) == NUMBER; k++) e = next(s, e);
            return e;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int start = -1;
        if (cls == OTHER) start = i;
        else if (ch == ' ' && after < n && classAt(s, after) == OTHER) start = after;
        if (start >= 0) {
            int e = run(s, start, OTHER);
            while (e < n && isNewline(s.charAt(e))) e++;
            return e;
        }
        // whitespace: \s*[\r\n]+ up to the last newline of the run, else \s+(?!\S), else \s+
        int e = run(s, i, SPACE);
        for (int k = e - 1; k >= i; k--) if (isNewline(s.charAt(k))) return k + 1;
        return whitespace(s, i);
    }
}
