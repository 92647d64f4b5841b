package dev.koboldj.server.scheduling;

/** Thrown at once, instead of queueing, when a model already has its limit of waiting requests. */
public final class QueueFullException extends Exception {
    public QueueFullException(String model, int limit) {
        super("the model '" + model + "' already has " + limit + " requests waiting; try again shortly", null, false, false);
    }
}
