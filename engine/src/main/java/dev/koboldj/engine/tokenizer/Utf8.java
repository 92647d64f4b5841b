package dev.koboldj.engine.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 decoding helpers for token bytes. */
final class Utf8 {
    private Utf8() {
    }

    /** Decodes, replacing each maximal invalid subsequence with U+FFFD (as Rust's from_utf8_lossy). */
    static String decodeLossy(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The text of {@code b[0, n)} if it is valid UTF-8, else null. */
    static String decodeStrict(byte[] b, int n) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(b, 0, n));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
