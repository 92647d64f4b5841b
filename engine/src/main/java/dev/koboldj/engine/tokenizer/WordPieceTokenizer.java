package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.gguf.Metadata;

/**
 * WordPiece ({@code tokenizer.ggml.model = bert}): BERT, MiniLM, bge, e5, nomic.
 *
 * <p>GGUF stores WordPiece vocabularies in llama.cpp's phantom-space convention: a piece that starts a word is
 * stored as {@code "▁" + piece}, a continuation piece ({@code ##piece} in Hugging Face) as the bare piece, and
 * {@code [BRACKETED]} tokens unchanged. Normalisation follows Hugging Face's BertNormalizer with
 * {@code tokenizer.ggml.normalizer.lowercase} (default true) and {@code .strip_accents} (default: as lowercase).
 * Each word is split greedily into the longest matching pieces; a word longer than 100 characters, or one that
 * cannot be covered, becomes the unknown token.
 */
public final class WordPieceTokenizer extends AbstractTokenizer implements Tokenizer {
    static final String PHANTOM_SPACE = "\u2581";
    static final int MAX_INPUT_CHARS_PER_WORD = 100;

    /** Pieces that may start a word (stored with the phantom space, indexed without it). */
    private final CharTrie wordStarts;
    /** Pieces that may continue a word. */
    private final CharTrie continuations;
    private final BertNormalizer normalizer;
    private final int unk;

    WordPieceTokenizer(Metadata md) {
        Vocabulary v = new Vocabulary(md, "bert");
        super(v, v.specialTokens(md, 101, -1, 100, 102, 0, 103, true, false, true, true), new SpecialTokenSplitter(addedTexts(v)));
        boolean lowercase = md.getBool(Vocabulary.LOWERCASE, true);
        normalizer = new BertNormalizer(lowercase, md.getBool(Vocabulary.STRIP_ACCENTS, lowercase));
        unk = special.unk();
        if (unk < 0) throw new IllegalArgumentException("bert vocabulary without an unknown token (" + Vocabulary.UNK_ID + ")");
        wordStarts = new CharTrie(v.size() * 4);
        continuations = new CharTrie(v.size() * 2);
        for (int id = 0; id < v.size(); id++) {
            int type = v.type(id);
            if (type == TokenTypes.CONTROL || type == TokenTypes.UNKNOWN || type == TokenTypes.BYTE) continue;
            String t = v.tokens[id];
            if (t.startsWith(PHANTOM_SPACE)) {
                if (t.length() > 1) wordStarts.add(t.substring(1), id);
            } else {
                continuations.add(t, id);
            }
        }
    }

    /** Added tokens are matched in the text without the phantom space the converter put before some of them. */
    private static String[] addedTexts(Vocabulary v) {
        String[] texts = addedTokenTexts(v);
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] != null && texts[i].startsWith(PHANTOM_SPACE) && texts[i].length() > 1) texts[i] = texts[i].substring(1);
        }
        return texts;
    }

    @Override
    void encodeText(String segment, IntList out) {
        normalizer.words(segment, (buf, from, to) -> wordPiece(buf, from, to, out, null));
    }

    /** A piece spans the source chars of its first to its last normalised char; [UNK] the whole word. */
    @Override
    boolean encodeTextWithSpans(String segment, int base, IntList out, Spans spans) {
        IntList pieceEnds = new IntList(8);
        boolean tracked = normalizer.wordsWithSpans(segment, (buf, from, to, starts, ends) -> {
            pieceEnds.truncate(0);
            wordPiece(buf, from, to, out, pieceEnds);
            for (int i = 0, start = from; i < pieceEnds.size(); start = pieceEnds.get(i++)) {
                spans.add(base + starts[start], base + ends[pieceEnds.get(i) - 1]);
            }
        });
        if (!tracked) encodeText(segment, out);
        return tracked;
    }

    /** Appends the word's pieces to {@code out} and, when {@code pieceEnds} is not null, where each ends in {@code buf}. */
    private void wordPiece(char[] buf, int from, int to, IntList out, IntList pieceEnds) {
        if (to - from > MAX_INPUT_CHARS_PER_WORD && Character.codePointCount(buf, from, to - from) > MAX_INPUT_CHARS_PER_WORD) {
            out.add(unk);
            if (pieceEnds != null) pieceEnds.add(to);
            return;
        }
        int mark = out.size();
        int start = from;
        while (start < to) {
            CharTrie trie = start == from ? wordStarts : continuations;
            int node = 0;
            int bestEnd = -1;
            int bestId = -1;
            for (int i = start; i < to; i++) {
                node = trie.child(node, buf[i]);
                if (node == CharTrie.NONE) break;
                int v = trie.value(node);
                // a piece must end on a code point boundary, never between the two halves of a surrogate pair
                if (v != CharTrie.NONE && !(Character.isHighSurrogate(buf[i]) && i + 1 < to && Character.isLowSurrogate(buf[i + 1]))) {
                    bestEnd = i + 1;
                    bestId = v;
                }
            }
            if (bestId < 0) {
                out.truncate(mark);
                out.add(unk);
                if (pieceEnds != null) {
                    pieceEnds.truncate(0);
                    pieceEnds.add(to);
                }
                return;
            }
            out.add(bestId);
            if (pieceEnds != null) pieceEnds.add(bestEnd);
            start = bestEnd;
        }
    }

    /**
     * Hugging Face's WordPiece decoder with cleanup: pieces that start a word are joined with a space, continuation
     * pieces glued to the previous one (a leading continuation piece keeps its "##"), and per piece " ." " ?" " !"
     * " ," lose their space and English contractions are re-attached.
     */
    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 6);
        boolean first = true;
        for (int id : ids) {
            checkId(id);
            if (vocab.isSkippedOnDecode(id)) continue;
            String t = vocab.tokens[id];
            String piece;
            boolean continuation;
            if (t.startsWith(PHANTOM_SPACE)) {
                piece = t.substring(1);
                continuation = false;
            } else {
                piece = t;
                continuation = !(t.startsWith("[") && t.endsWith("]"));
            }
            String s;
            if (first) s = continuation ? "##" + piece : piece;
            else s = continuation ? piece : " " + piece;
            sb.append(cleanup(s));
            first = false;
        }
        return sb.toString();
    }

    private static String cleanup(String s) {
        if (s.indexOf(' ') < 0) return s;
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }
}
