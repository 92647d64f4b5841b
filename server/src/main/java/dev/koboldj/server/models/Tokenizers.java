package dev.koboldj.server.models;

import dev.koboldj.engine.tokenizer.TokenSpans;
import dev.koboldj.engine.tokenizer.Tokenizer;

/** Tokenizer sources for serving. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /**
     * The engine's tokenizer of each model (built from the file's {@code tokenizer.ggml.*} metadata); null (token
     * ids only) for a file without a usable one, with one log line saying why.
     */
    public static TokenizerSource engine() {
        return model -> {
            try {
                return adapt(model.tokenizer());
            } catch (IllegalStateException | IllegalArgumentException e) {
                System.getLogger("koboldj.models").log(System.Logger.Level.WARNING,
                        model.file().path() + ": no tokenizer (" + e.getMessage() + "); the model takes token ids only");
                return null;
            }
        };
    }

    public static TextTokenizer adapt(Tokenizer t) {
        return new TextTokenizer() {
            @Override
            public int[] encode(String text, boolean addSpecial) {
                return t.encode(text, addSpecial);
            }

            @Override
            public TokenSpans encodeWithSpans(String text, boolean addSpecial) {
                return t.encodeWithSpans(text, addSpecial);
            }

            @Override
            public String decode(int[] ids) {
                return t.decode(ids);
            }

            @Override
            public String token(int id) {
                return t.token(id);
            }

            @Override
            public int vocabSize() {
                return t.vocabSize();
            }
        };
    }
}
