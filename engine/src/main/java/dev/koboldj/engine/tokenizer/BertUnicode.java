package dev.koboldj.engine.tokenizer;

import java.util.Arrays;

/**
 * Character classes exactly as Hugging Face's BertNormalizer and BertPreTokenizer apply them.
 *
 * <p>Hugging Face takes general categories from the Rust crate {@code unicode_categories}, whose tables are those of
 * Unicode 8 (its NFD is {@link HfNormalization}). The JDK's categories (Unicode 16) are used here, corrected by the
 * exception tables below: characters whose category is newer than those tables. Unassigned characters (category Cn)
 * are ordinary word characters there, not control characters. The tables were derived by tokenizing every code
 * point with the Hugging Face tokenizer, and {@code CodePointSweepTest} checks every code point against it.
 */
final class BertUnicode {
    private BertUnicode() {
    }

    /** Format characters (Cf) added after Unicode 8: not removed by clean_text. Sorted inclusive ranges. */
    private static final int[] NEW_FORMAT = {0x0890, 0x0891, 0x08E2, 0x08E2, 0x110CD, 0x110CD, 0x13430, 0x1343F};

    /** Punctuation (P*) added after Unicode 8, so not split off as punctuation. */
    private static final int[] NEW_PUNCTUATION = {
            0x061D, 0x061D, 0x09FD, 0x09FD, 0x0A76, 0x0A76, 0x0C77, 0x0C77, 0x0C84, 0x0C84, 0x1B4E, 0x1B4F,
            0x1B7D, 0x1B7F, 0x2E43, 0x2E4F, 0x2E52, 0x2E5D, 0x10D6E, 0x10D6E, 0x10EAD, 0x10EAD, 0x10F55, 0x10F59,
            0x10F86, 0x10F89, 0x113D4, 0x113D5, 0x113D7, 0x113D8, 0x1144B, 0x1144F, 0x1145A, 0x1145B,
            0x1145D, 0x1145D, 0x11660, 0x1166C, 0x116B9, 0x116B9, 0x1183B, 0x1183B, 0x11944, 0x11946,
            0x119E2, 0x119E2, 0x11A3F, 0x11A46, 0x11A9A, 0x11A9C, 0x11A9E, 0x11AA2, 0x11B00, 0x11B09,
            0x11BE1, 0x11BE1, 0x11C41, 0x11C45, 0x11C70, 0x11C71, 0x11EF7, 0x11EF8, 0x11F43, 0x11F4F,
            0x11FFF, 0x11FFF, 0x12FF1, 0x12FF2, 0x16D6D, 0x16D6F, 0x16E97, 0x16E9A, 0x16FE2, 0x16FE2,
            0x1E5FF, 0x1E5FF, 0x1E95E, 0x1E95F};

    /** Characters that were punctuation in Unicode 8 and have another category since. */
    private static final int[] OLD_PUNCTUATION = {0x166D, 0x166D, 0x111C9, 0x111C9};

    /** Nonspacing marks (Mn) added after Unicode 8 (or Mn only since): strip_accents keeps them. */
    private static final int[] NEW_NONSPACING = {
            0x07FD, 0x07FD, 0x0897, 0x089F, 0x08CA, 0x08E1, 0x09FE, 0x09FE, 0x0AFA, 0x0AFF, 0x0B55, 0x0B55,
            0x0C04, 0x0C04, 0x0C3C, 0x0C3C, 0x0D00, 0x0D00, 0x0D3B, 0x0D3C, 0x0D81, 0x0D81, 0x0EBA, 0x0EBA,
            0x0ECE, 0x0ECE, 0x180F, 0x180F, 0x1885, 0x1886, 0x1ABF, 0x1ACE, 0x1DF6, 0x1DFB, 0xA82C, 0xA82C,
            0xA8C5, 0xA8C5, 0xA8FF, 0xA8FF, 0xA9BD, 0xA9BD, 0x10D24, 0x10D27, 0x10D69, 0x10D6D, 0x10EAB, 0x10EAC,
            0x10EFC, 0x10EFF, 0x10F46, 0x10F50, 0x10F82, 0x10F85, 0x11070, 0x11070, 0x11073, 0x11074, 0x110C2, 0x110C2,
            0x111C9, 0x111C9, 0x111CF, 0x111CF, 0x1123E, 0x1123E, 0x11241, 0x11241, 0x1133B, 0x1133B, 0x113BB, 0x113C0,
            0x113CE, 0x113CE, 0x113D0, 0x113D0, 0x113D2, 0x113D2, 0x113E1, 0x113E2, 0x11438, 0x1143F, 0x11442, 0x11444,
            0x11446, 0x11446, 0x1145E, 0x1145E, 0x1182F, 0x11837, 0x11839, 0x1183A, 0x1193B, 0x1193C, 0x1193E, 0x1193E,
            0x11943, 0x11943, 0x119D4, 0x119D7, 0x119DA, 0x119DB, 0x119E0, 0x119E0, 0x11A01, 0x11A0A, 0x11A33, 0x11A38,
            0x11A3B, 0x11A3E, 0x11A47, 0x11A47, 0x11A51, 0x11A56, 0x11A59, 0x11A5B, 0x11A8A, 0x11A96, 0x11A98, 0x11A99,
            0x11C30, 0x11C36, 0x11C38, 0x11C3D, 0x11C3F, 0x11C3F, 0x11C92, 0x11CA7, 0x11CAA, 0x11CB0, 0x11CB2, 0x11CB3,
            0x11CB5, 0x11CB6, 0x11D31, 0x11D36, 0x11D3A, 0x11D3A, 0x11D3C, 0x11D3D, 0x11D3F, 0x11D45, 0x11D47, 0x11D47,
            0x11D90, 0x11D91, 0x11D95, 0x11D95, 0x11D97, 0x11D97, 0x11EF3, 0x11EF4, 0x11F00, 0x11F01, 0x11F36, 0x11F3A,
            0x11F40, 0x11F40, 0x11F42, 0x11F42, 0x11F5A, 0x11F5A, 0x13440, 0x13440, 0x13447, 0x13455, 0x1611E, 0x16129,
            0x1612D, 0x1612F, 0x16F4F, 0x16F4F, 0x16FE4, 0x16FE4, 0x1CF00, 0x1CF2D, 0x1CF30, 0x1CF46, 0x1E000, 0x1E006,
            0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024, 0x1E026, 0x1E02A, 0x1E08F, 0x1E08F, 0x1E130, 0x1E136,
            0x1E2AE, 0x1E2AE, 0x1E2EC, 0x1E2EF, 0x1E4EC, 0x1E4EF, 0x1E5EE, 0x1E5EF, 0x1E944, 0x1E94A};

    /** Characters that were nonspacing marks in Unicode 8 and are spacing marks since: strip_accents removes them. */
    private static final int[] OLD_NONSPACING = {0x1734, 0x1734, 0x1171E, 0x1171E};


    /** Classes of the ASCII characters: bit 0 whitespace, bit 1 punctuation, bit 2 control. */
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            int bits = 0;
            if ((c >= 9 && c <= 13) || c == ' ') bits |= 1;
            if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) bits |= 2;
            if ((c < 32 && c != '\t' && c != '\n' && c != '\r') || c == 127) bits |= 4;
            ASCII[c] = (byte) bits;
        }
    }

    private static boolean in(int[] ranges, int cp) {
        int i = Arrays.binarySearch(ranges, cp);
        if (i >= 0) return true;
        int insert = -i - 1; // ranges[insert - 1] < cp < ranges[insert]; inside a range when insert is odd
        return (insert & 1) == 1;
    }

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
    static boolean isWhitespace(int cp) {
        if (cp < 128) return (ASCII[cp] & 1) != 0;
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
                || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Removed by clean_text (besides NUL and U+FFFD): Cc, Cf, Co and Cs except tab, newline and carriage return. */
    static boolean isControl(int cp) {
        if (cp < 128) return (ASCII[cp] & 4) != 0;
        int t = Character.getType(cp);
        return switch (t) {
            case Character.CONTROL, Character.PRIVATE_USE, Character.SURROGATE -> true;
            case Character.FORMAT -> !in(NEW_FORMAT, cp);
            default -> false;
        };
    }

    /** Split off as a word of its own: ASCII punctuation (symbols included) and the Unicode P* categories. */
    static boolean isPunctuation(int cp) {
        if (cp < 128) return (ASCII[cp] & 2) != 0;
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> !in(NEW_PUNCTUATION, cp);
            default -> in(OLD_PUNCTUATION, cp);
        };
    }

    /** The CJK blocks that BertNormalizer surrounds with spaces (0x2B820-0x2B91F is absent there too). */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Removed by strip_accents after NFD: nonspacing marks (Mn). */
    static boolean isStrippedMark(int cp) {
        if (cp < 0x300) return false;
        if (Character.getType(cp) == Character.NON_SPACING_MARK) return !in(NEW_NONSPACING, cp);
        return in(OLD_NONSPACING, cp);
    }

}
