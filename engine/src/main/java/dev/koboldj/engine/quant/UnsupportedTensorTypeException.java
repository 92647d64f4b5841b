package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;

/** A tensor type koboldj cannot compute with (or cannot write); the message names the type and what is supported. */
public final class UnsupportedTensorTypeException extends RuntimeException {
    private final GgmlType type;

    public UnsupportedTensorTypeException(GgmlType type, String message) {
        super(message);
        this.type = type;
    }

    /** The type that was asked for. */
    public GgmlType type() {
        return type;
    }
}
