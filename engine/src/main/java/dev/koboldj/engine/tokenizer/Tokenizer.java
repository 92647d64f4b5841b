package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.gguf.Metadata;

/**
 * Text to token ids and back, built from a GGUF file's {@code tokenizer.ggml.*} metadata alone. The ids are those of
 * the Hugging Face tokenizer the model was trained with. Instances are immutable and safe to share between threads.
 */
public sealed interface Tokenizer permits WordPieceTokenizer, UnigramTokenizer, BpeTokenizer, SentencePieceTokenizer {

    /**
     * The tokenizer that {@code tokenizer.ggml.model} names: {@code bert} (WordPiece), {@code t5} (Unigram),
     * {@code gpt2} (byte-level BPE) or {@code llama} (SentencePiece BPE).
     *
     * @throws IllegalArgumentException for a missing or unknown tokenizer model or pre-tokenizer (the message names
     *                                  it), or a vocabulary that cannot work (missing tokens, merges, ids)
     */
    static Tokenizer fromMetadata(Metadata md) {
        if (!md.has(Vocabulary.MODEL)) throw new IllegalArgumentException("GGUF metadata has no " + Vocabulary.MODEL + "; the file carries no tokenizer");
        String model = md.getString(Vocabulary.MODEL);
        return switch (model) {
            case "bert" -> new WordPieceTokenizer(md);
            case "t5" -> new UnigramTokenizer(md);
            case "gpt2" -> new BpeTokenizer(md);
            case "llama" -> new SentencePieceTokenizer(md);
            default -> throw new IllegalArgumentException("unknown tokenizer model '" + model + "' (" + Vocabulary.MODEL
                    + "); koboldj supports bert, t5, gpt2 and llama");
        };
    }

    /** The ids of {@code text} framed by the special tokens the model's metadata asks for (see {@link SpecialTokens}). */
    int[] encode(String text);

    /** The ids of {@code text}; with {@code addSpecialTokens} false nothing is added around it. */
    int[] encode(String text, boolean addSpecialTokens);

    /**
     * {@link #encode(String, boolean)} with where each token comes from in {@code text}, as Hugging Face's offsets. Spans
     * are null only where NFC (byte-level BPE models that use it) composes across grapheme clusters.
     */
    TokenSpans encodeWithSpans(String text, boolean addSpecialTokens);

    /** The text of {@code ids}, leaving out control and unknown tokens (Hugging Face's skip_special_tokens=true). */
    String decode(int[] ids);

    int vocabSize();

    /** The vocabulary entry of {@code id} as stored in GGUF. */
    String token(int id);

    /** {@code bert}, {@code t5}, {@code gpt2} or {@code llama}. */
    String model();

    SpecialTokens special();
}
