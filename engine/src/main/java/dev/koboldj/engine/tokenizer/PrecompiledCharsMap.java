package dev.koboldj.engine.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;

/**
 * SentencePiece's precompiled normalisation rules ({@code tokenizer.ggml.precompiled_charsmap}), applied as Hugging
 * Face's Precompiled normaliser applies them.
 *
 * <p>Blob layout (little-endian): {@code u32 trieBytes}, then {@code trieBytes / 4} u32 units of a Darts-clone
 * double-array trie over UTF-8 bytes, then the replacement strings, each NUL-terminated; a trie value is the offset
 * of a replacement in that string area. A unit packs: label in bits 0-7 (bit 31 set on value units so they never
 * match a byte), has-leaf in bit 8, and the offset to the children in bits 10-30, shifted left by 8 more when bit 9
 * is set. A node's children lie at {@code position ^ offset ^ byte}; its value unit at {@code position ^ offset}.
 *
 * <p>Hugging Face walks the text by extended grapheme clusters: a cluster shorter than 6 UTF-8 bytes whose bytes
 * start with a key is replaced whole by the replacement of the shortest such key; otherwise each character is
 * replaced by its own rule, or kept.
 */
final class PrecompiledCharsMap {
    private final int[] units;
    private final byte[] strings;

    PrecompiledCharsMap(byte[] blob) {
        if (blob.length < 4) throw new IllegalArgumentException("precompiled_charsmap of " + blob.length + " bytes has no header");
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        long trieBytes = Integer.toUnsignedLong(b.getInt());
        if (trieBytes % 4 != 0 || trieBytes + 4 > blob.length) {
            throw new IllegalArgumentException("precompiled_charsmap trie size " + trieBytes + " does not fit its " + blob.length + " bytes");
        }
        units = new int[(int) (trieBytes / 4)];
        for (int i = 0; i < units.length; i++) units[i] = b.getInt();
        strings = new byte[blob.length - 4 - (int) trieBytes];
        b.get(strings);
        if (units.length == 0) throw new IllegalArgumentException("precompiled_charsmap has an empty trie");
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static int label(int unit) {
        return unit & (0x80000000 | 0xFF);
    }

    /** Replacement offset of the shortest key that is a prefix of {@code key[0, n)}, or -1. */
    private int shortestPrefix(byte[] key, int n) {
        int pos = offset(units[0]);
        for (int i = 0; i < n; i++) {
            int c = key[i] & 0xFF;
            if (c == 0) return -1;
            pos ^= c;
            if (pos < 0 || pos >= units.length) return -1;
            int unit = units[pos];
            if (label(unit) != c) return -1;
            pos ^= offset(unit);
            if (hasLeaf(unit)) {
                if (pos < 0 || pos >= units.length) return -1;
                return units[pos] & 0x7FFFFFFF;
            }
        }
        return -1;
    }

    private String replacement(int at) {
        if (at >= strings.length) throw new IllegalStateException("precompiled_charsmap replacement offset " + at + " is outside its " + strings.length + " bytes");
        int end = at;
        while (end < strings.length && strings[end] != 0) end++;
        return new String(strings, at, end - at, StandardCharsets.UTF_8);
    }

    String normalize(String text) {
        return normalize(text, null, null);
    }

    /**
     * The normalised text; with {@code starts} and {@code ends}, also where each of its chars comes from: the chars
     * {@code [starts[i], ends[i])} of {@code text}. As Hugging Face aligns a replacement, its j-th code point comes from
     * the j-th code point of what it replaced (a grapheme cluster or one code point), or from the last one when the
     * replacement is longer.
     */
    String normalize(String text, IntList starts, IntList ends) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        byte[] buf = new byte[16];
        if (isSimple(text)) {
            for (int i = 0; i < text.length(); i++) {
                int at = sb.length();
                appendChar(text.charAt(i), sb, buf);
                locate(sb, at, text, i, i + 1, starts, ends);
            }
            return sb.toString();
        }
        BreakIterator graphemes = BreakIterator.getCharacterInstance();
        graphemes.setText(text);
        int start = graphemes.first();
        for (int end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
            byte[] utf8 = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
            if (utf8.length < 6) {
                int at = shortestPrefix(utf8, utf8.length);
                if (at >= 0) {
                    int appended = sb.length();
                    sb.append(replacement(at));
                    locate(sb, appended, text, start, end, starts, ends);
                    continue;
                }
            }
            for (int i = start; i < end; ) {
                int cp = text.codePointAt(i);
                int from = i, appended = sb.length();
                i += Character.charCount(cp);
                appendCodePoint(cp, sb, buf);
                locate(sb, appended, text, from, i, starts, ends);
            }
        }
        return sb.toString();
    }

    private static void locate(StringBuilder sb, int appended, String text, int from, int to, IntList starts, IntList ends) {
        if (starts != null) HfNormalization.align(sb, appended, text, from, to, starts, ends);
    }

    /** ASCII without CR: every character is a grapheme cluster of its own. */
    private static boolean isSimple(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c == '\r') return false;
        }
        return true;
    }

    private void appendChar(char c, StringBuilder sb, byte[] buf) {
        buf[0] = (byte) c;
        int at = shortestPrefix(buf, 1);
        if (at >= 0) sb.append(replacement(at));
        else sb.append(c);
    }

    private void appendCodePoint(int cp, StringBuilder sb, byte[] buf) {
        int n = encode(cp, buf);
        int at = shortestPrefix(buf, n);
        if (at >= 0) sb.append(replacement(at));
        else sb.appendCodePoint(cp);
    }

    /** UTF-8 of one code point (a lone surrogate becomes U+FFFD, as Java's encoder does). */
    private static int encode(int cp, byte[] b) {
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        if (cp < 0x80) {
            b[0] = (byte) cp;
            return 1;
        }
        if (cp < 0x800) {
            b[0] = (byte) (0xC0 | cp >> 6);
            b[1] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        }
        if (cp < 0x10000) {
            b[0] = (byte) (0xE0 | cp >> 12);
            b[1] = (byte) (0x80 | (cp >> 6 & 0x3F));
            b[2] = (byte) (0x80 | (cp & 0x3F));
            return 3;
        }
        b[0] = (byte) (0xF0 | cp >> 18);
        b[1] = (byte) (0x80 | (cp >> 12 & 0x3F));
        b[2] = (byte) (0x80 | (cp >> 6 & 0x3F));
        b[3] = (byte) (0x80 | (cp & 0x3F));
        return 4;
    }
}
