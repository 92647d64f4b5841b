package dev.koboldj.engine.tokenizer;

/**
 * The special token ids of a vocabulary (-1 where the model has none) and which of them {@link Tokenizer#encode(String)}
 * adds around a single text.
 *
 * <p>Encoding with special tokens gives {@code [bos if addBos] text [eos if addEos]}; a {@code bert} vocabulary also
 * ends with {@code sep} when {@code addSep} is set (llama.cpp's WordPiece convention; nothing is added twice when the
 * eos already is the sep). For the other models {@code addSep} only says that pairs of texts (query/document) are
 * separated by {@code sep}, as in llama.cpp; it adds nothing to a single text.
 *
 * <p>GGUF has no key for a CLS token: llama.cpp's converter stores BERT's [CLS] (and XLM-R's &lt;s&gt;) as the BOS,
 * so {@code cls} is the bos for {@code bert} and {@code t5} vocabularies and -1 otherwise.
 */
public record SpecialTokens(int bos, int eos, int unk, int sep, int pad, int cls, int mask,
                            boolean addBos, boolean addEos, boolean addSep) {
}
