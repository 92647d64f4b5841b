package dev.koboldj.engine.backend;

/** Memory a backend cannot provide: a model or buffer that does not fit; the message states the numbers. */
public class InsufficientMemoryException extends IllegalStateException {
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
