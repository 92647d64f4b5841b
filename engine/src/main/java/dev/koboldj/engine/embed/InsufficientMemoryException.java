package dev.koboldj.engine.embed;

/** A model that does not fit the memory of the backend it was asked to load on; the message states the numbers. */
public final class InsufficientMemoryException extends IllegalStateException {
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
