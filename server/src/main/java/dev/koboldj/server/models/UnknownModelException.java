package dev.koboldj.server.models;

import java.util.List;

/** A request named a model that is not loaded. */
public final class UnknownModelException extends Exception {
    public UnknownModelException(String requested, List<String> loaded) {
        super("the model '" + requested + "' is not loaded (loaded: " + String.join(", ", loaded) + ")", null, false, false);
    }
}
