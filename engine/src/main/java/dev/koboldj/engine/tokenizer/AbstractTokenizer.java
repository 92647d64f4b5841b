package dev.koboldj.engine.tokenizer;

/**
 * What the four tokenizers share: the vocabulary, the special tokens, splitting added tokens out of the text, and
 * framing the result with the special tokens the metadata asks for. Subclasses encode the text between added tokens
 * ({@link #encodeText}) and decode ids.
 */
abstract class AbstractTokenizer {
    final Vocabulary vocab;
    final SpecialTokens special;
    final SpecialTokenSplitter splitter;

    AbstractTokenizer(Vocabulary vocab, SpecialTokens special, SpecialTokenSplitter splitter) {
        this.vocab = vocab;
        this.special = special;
        this.splitter = splitter;
    }

    /** Appends the ids of {@code segment}, a non-empty piece of text that contains no added token. */
    abstract void encodeText(String segment, IntList out);

    public abstract String decode(int[] ids);

    public final int[] encode(String text) {
        return encode(text, true);
    }

    public final int[] encode(String text, boolean addSpecialTokens) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecialTokens && special.addBos()) out.add(special.bos());
        splitter.split(text, new SpecialTokenSplitter.Sink() {
            @Override
            public void text(String segment) {
                encodeText(segment, out);
            }

            @Override
            public void token(int id) {
                out.add(id);
            }
        });
        if (addSpecialTokens) {
            if (special.addEos()) out.add(special.eos());
            if (special.addSep() && "bert".equals(vocab.model) && !(special.addEos() && special.eos() == special.sep())) {
                out.add(special.sep());
            }
        }
        return out.toArray();
    }

    public final int vocabSize() {
        return vocab.size();
    }

    public final String token(int id) {
        return vocab.tokens[id];
    }

    public final String model() {
        return vocab.model;
    }

    public final SpecialTokens special() {
        return special;
    }

    final void checkId(int id) {
        if (id < 0 || id >= vocab.size()) throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocab.size());
    }

    /** Splitter texts: every added token matched by its own text. */
    static String[] addedTokenTexts(Vocabulary v) {
        String[] texts = new String[v.size()];
        for (int id = 0; id < v.size(); id++) if (v.isAddedToken(id)) texts[id] = v.tokens[id];
        return texts;
    }
}
