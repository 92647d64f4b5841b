package dev.koboldj.engine.backend;

/** Element types of activation buffers. */
public enum ElementType {
    F32(4), I32(4);

    public final int bytes;

    ElementType(int bytes) {
        this.bytes = bytes;
    }
}
