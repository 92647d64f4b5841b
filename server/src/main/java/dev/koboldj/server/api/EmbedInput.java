package dev.koboldj.server.api;

/** One input of an embedding request: text to tokenise, or token ids the client already made. */
public sealed interface EmbedInput {
    record Text(String text) implements EmbedInput {
    }

    record Tokens(int[] ids) implements EmbedInput {
    }
}
