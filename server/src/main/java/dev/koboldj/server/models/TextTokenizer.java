package dev.koboldj.server.models;

import dev.koboldj.engine.tokenizer.TokenSpans;

/** A model's tokenizer as the server uses it: text to ids (optionally with the model's special tokens) and back. */
public interface TextTokenizer {
    int[] encode(String text, boolean addSpecial);

    /** {@link #encode} with where each token comes from in the text (spans null where the tokenizer does not track it). */
    TokenSpans encodeWithSpans(String text, boolean addSpecial);

    String decode(int[] ids);

    /** The text of one token as it appears in the vocabulary. */
    String token(int id);

    int vocabSize();
}
