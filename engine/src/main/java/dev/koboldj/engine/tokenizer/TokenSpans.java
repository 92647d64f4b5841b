package dev.koboldj.engine.tokenizer;

/**
 * Token ids and where each came from in the encoded text: token i covers the chars {@code [starts[i], ends[i])} of the
 * input String (UTF-16 indices), or has {@code -1, -1} when it was added around the text ([CLS], [SEP], BOS, EOS).
 * {@code starts} and {@code ends} are null when the tokenizer does not track where tokens come from.
 */
public record TokenSpans(int[] ids, int[] starts, int[] ends) {
    public boolean hasSpans() {
        return starts != null;
    }
}
