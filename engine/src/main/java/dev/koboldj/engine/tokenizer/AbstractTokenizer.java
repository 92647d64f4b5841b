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
        return encode(text, addSpecialTokens, null).ids();
    }

    public final TokenSpans encodeWithSpans(String text, boolean addSpecialTokens) {
        return encode(text, addSpecialTokens, new Spans());
    }

    /** Receives, token by token, the chars {@code [start, end)} it comes from. */
    interface SpanSink {
        void add(int start, int end);
    }

    /** Where tokens come from in the text, as {@link TokenSpans} reports them. */
    static final class Spans implements SpanSink {
        final IntList starts = new IntList(16), ends = new IntList(16);
        boolean tracked = true;

        @Override
        public void add(int start, int end) {
            starts.add(start);
            ends.add(end);
        }
    }

    /**
     * Appends the ids of {@code segment} (as {@link #encodeText}) and, to {@code spans}, each token's chars in the whole
     * text, {@code base} being where the segment starts in it. Returns false where this tokenizer does not track spans.
     */
    boolean encodeTextWithSpans(String segment, int base, IntList out, Spans spans) {
        encodeText(segment, out);
        return false;
    }

    private TokenSpans encode(String text, boolean addSpecialTokens, Spans spans) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecialTokens && special.addBos()) added(special.bos(), out, spans);
        splitter.split(text, new SpecialTokenSplitter.Sink() {
            @Override
            public void text(String segment, int start) {
                if (spans == null) encodeText(segment, out);
                else spans.tracked &= encodeTextWithSpans(segment, start, out, spans);
            }

            @Override
            public void token(int id, int start, int end) {
                out.add(id);
                if (spans != null) spans.add(start, end);
            }
        });
        if (addSpecialTokens) {
            if (special.addEos()) added(special.eos(), out, spans);
            if (special.addSep() && "bert".equals(vocab.model) && !(special.addEos() && special.eos() == special.sep())) {
                added(special.sep(), out, spans);
            }
        }
        int[] ids = out.toArray();
        if (spans == null || !spans.tracked) return new TokenSpans(ids, null, null);
        return new TokenSpans(ids, spans.starts.toArray(), spans.ends.toArray());
    }

    private static void added(int id, IntList out, Spans spans) {
        out.add(id);
        if (spans != null) spans.add(-1, -1);
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
