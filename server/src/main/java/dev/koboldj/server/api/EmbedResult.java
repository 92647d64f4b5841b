package dev.koboldj.server.api;

import dev.koboldj.engine.embed.Embedding;
import java.util.List;

/** The vectors for a request in input order, the model that made them, and the tokens they took. */
public record EmbedResult(String model, List<Embedding> embeddings, int promptTokens, long durationNanos) {
}
