package dev.koboldj.engine.embed;

/** An input longer than the model accepts, when truncation was turned off. */
public final class InputTooLongException extends IllegalArgumentException {
    private final int index;
    private final int tokens;
    private final int maxTokens;

    public InputTooLongException(int index, int tokens, int maxTokens) {
        super("input " + index + " has " + tokens + " tokens, more than the model's limit of " + maxTokens + " (truncation is off)");
        this.index = index;
        this.tokens = tokens;
        this.maxTokens = maxTokens;
    }

    public int index() {
        return index;
    }

    public int tokens() {
        return tokens;
    }

    public int maxTokens() {
        return maxTokens;
    }
}
