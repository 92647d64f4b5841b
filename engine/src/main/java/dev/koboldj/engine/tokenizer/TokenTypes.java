package dev.koboldj.engine.tokenizer;

/** GGUF token types ({@code tokenizer.ggml.token_type}), numbered as llama.cpp's {@code llama_token_type}. */
final class TokenTypes {
    static final int UNDEFINED = 0;
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    private TokenTypes() {
    }
}
