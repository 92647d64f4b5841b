package dev.koboldj.engine.gguf;

/** A GGUF file that cannot be read: the message names the problem and the byte offset where it was found. */
public final class GgufFormatException extends RuntimeException {
    private final long offset;

    public GgufFormatException(String problem, long offset) {
        super(problem + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
