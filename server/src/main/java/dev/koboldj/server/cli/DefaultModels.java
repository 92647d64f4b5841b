package dev.koboldj.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The built-in default model (all-MiniLM-L6-v2), imported on first use and cached. */
final class DefaultModels {
    private DefaultModels() {
    }

    /**
     * The cached default model's file. The engine's DefaultModel importer is not on this branch yet, so until it
     * lands a model must be given with --embeddingsmodel.
     */
    static Path path(PrintWriter err, boolean quiet) {
        throw new IllegalArgumentException("no model given and this build has no built-in default model yet: pass --embeddingsmodel FILE.gguf");
    }
}
