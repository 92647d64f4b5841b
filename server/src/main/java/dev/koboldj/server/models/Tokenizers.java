package dev.koboldj.server.models;

/** Tokenizer sources for serving. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /**
     * The engine's tokenizer for each model. The engine's tokenizer package is not on this branch yet, so for now
     * every model takes token ids only and text inputs get a 400 that says so.
     */
    public static TokenizerSource engine() {
        return model -> null;
    }
}
