/**
 * Tokenizers built from a GGUF file's {@code tokenizer.ggml.*} metadata alone, giving the ids of the Hugging Face
 * tokenizer the model was trained with. Entry point: {@link dev.koboldj.engine.tokenizer.Tokenizer#fromMetadata}.
 *
 * <table>
 *   <caption>Tokenizer models</caption>
 *   <tr><th>tokenizer.ggml.model</th><th>class</th><th>Hugging Face pipeline reproduced</th></tr>
 *   <tr><td>bert</td><td>WordPieceTokenizer</td><td>BertNormalizer, BertPreTokenizer, WordPiece (phantom-space vocabulary)</td></tr>
 *   <tr><td>gpt2</td><td>BpeTokenizer</td><td>[NFC for qwen2], Split regex per tokenizer.ggml.pre, ByteLevel, BPE by merge rank</td></tr>
 *   <tr><td>llama</td><td>SentencePieceTokenizer</td><td>Prepend ▁, spaces to ▁, BPE by piece score, byte fallback</td></tr>
 *   <tr><td>t5</td><td>UnigramTokenizer</td><td>Precompiled charsmap, collapse spaces, Metaspace, Unigram Viterbi, byte fallback</td></tr>
 * </table>
 *
 * <p>Shared steps: added tokens (GGUF CONTROL, USER_DEFINED, UNKNOWN) are split out of the raw text first, longest
 * match at the leftmost position; special tokens are added around the text as {@link
 * dev.koboldj.engine.tokenizer.SpecialTokens} describes, with llama.cpp's defaults where the metadata is silent;
 * decoding skips CONTROL and UNKNOWN tokens (skip_special_tokens) and replaces ill-formed UTF-8 as Rust does.
 *
 * <p>Where llama.cpp's tokenizers differ from Hugging Face, Hugging Face is followed: BERT normalisation honours
 * {@code tokenizer.ggml.normalizer.lowercase}/{@code strip_accents} and Hugging Face's (Unicode 8) character
 * classes; Unigram keeps trailing spaces, applies the charsmap per grapheme cluster, and left-strips {@code <mask>};
 * {@code qwen2} applies NFC. Not expressible in GGUF and therefore not reproduced: lstrip/rstrip/single_word flags
 * of added tokens other than {@code <mask>}, Metaspace's prepend scheme "first".
 *
 * <p>Everything runs in time linear or n log n in the input (no regex engine, no recursion); helpers
 * ({@code StringIdMap}, {@code CharTrie}, {@code LongIntMap}) look tokens up without allocating.
 */
package dev.koboldj.engine.tokenizer;
