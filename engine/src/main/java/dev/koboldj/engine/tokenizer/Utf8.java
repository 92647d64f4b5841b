package dev.koboldj.engine.tokenizer;

/** UTF-8 decoding of token bytes, with invalid sequences handled as Hugging Face (Rust) handles them. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Decodes {@code b}, replacing each maximal subpart of an ill-formed sequence with one U+FFFD (the Unicode
     * recommended practice, as Rust's {@code String::from_utf8_lossy}): a lead byte followed by fewer continuation
     * bytes than it needs is one U+FFFD; a byte that can start no sequence is one U+FFFD on its own.
     */
    /** Bytes {@link String#getBytes} writes for code point {@code cp} (a lone surrogate becomes one '?'). */
    static int length(int cp) {
        if (cp < 0x80 || Character.isSurrogate((char) cp) && cp <= 0xFFFF) return 1;
        return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    static String decodeLossy(byte[] b) {
        return decode(b, b.length, true);
    }

    /** The text of {@code b[0, n)} if it is valid UTF-8, else null. */
    static String decodeStrict(byte[] b, int n) {
        return decode(b, n, false);
    }

    private static String decode(byte[] b, int n, boolean lossy) {
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80, hi = 0xBF; // range of the first continuation byte
            int cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) lo = 0xA0;
                if (b0 == 0xED) hi = 0x9F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) lo = 0x90;
                if (b0 == 0xF4) hi = 0x8F;
            } else {
                if (!lossy) return null;
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                int c = j < n ? b[j] & 0xFF : -1;
                int min = k == 0 ? lo : 0x80, max = k == 0 ? hi : 0xBF;
                if (c < min || c > max) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | (c & 0x3F);
            }
            if (!ok) {
                if (!lossy) return null;
                sb.append('\uFFFD'); // the lead byte and the continuation bytes that were valid so far
                i = j;
                continue;
            }
            sb.appendCodePoint(cp);
            i = j;
        }
        return sb.toString();
    }
}
