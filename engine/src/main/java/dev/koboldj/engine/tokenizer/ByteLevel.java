package dev.koboldj.engine.tokenizer;

/**
 * GPT-2's reversible byte to character mapping: printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for
 * themselves, the other 68 bytes map in order to U+0100, U+0101, ... (so the space 0x20 becomes 'Ġ' U+0120).
 */
final class ByteLevel {
    /** Character per byte value. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** Byte value per character below U+0180, -1 for characters that stand for no byte. */
    private static final short[] CHAR_TO_BYTE = new short[0x180];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevel() {
    }

    /** The byte that {@code c} stands for, or -1. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }
}
