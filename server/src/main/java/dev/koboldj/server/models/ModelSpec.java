package dev.koboldj.server.models;

import dev.koboldj.engine.embed.EmbeddingOptions;
import java.nio.file.Path;

/** A model to load: its file, the name to serve it under (null = the file name without .gguf) and how to load it. */
public record ModelSpec(Path file, String name, EmbeddingOptions options) {
    public String servedName() {
        if (name != null && !name.isBlank()) return name;
        String f = file.getFileName().toString();
        return f.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? f.substring(0, f.length() - 5) : f;
    }
}
