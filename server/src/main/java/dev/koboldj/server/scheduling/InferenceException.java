package dev.koboldj.server.scheduling;

/** A forward pass failed; the cause is logged on the server, not shown to clients. */
public final class InferenceException extends RuntimeException {
    public InferenceException(Throwable cause) {
        super("inference failed", cause);
    }
}
