package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.gguf.Metadata;
import java.nio.charset.StandardCharsets;

/**
 * Unigram ({@code tokenizer.ggml.model = t5}): XLM-RoBERTa models such as bge-m3 and multilingual-e5, T5.
 *
 * <p>Per piece of text between added tokens, as Hugging Face's XLM-R pipeline: the precompiled charsmap
 * ({@code tokenizer.ggml.precompiled_charsmap}, if any); runs of two or more spaces collapsed to one when
 * {@code tokenizer.ggml.remove_extra_whitespaces} (default true); spaces replaced by ▁ and a ▁ put in front unless
 * the text starts with one when {@code tokenizer.ggml.add_space_prefix} (default true); a split before every ▁.
 * Each word is then segmented by Viterbi: the path of vocabulary pieces with the highest total score, where a
 * character no piece of one character covers may be taken as the unknown token scoring the lowest piece score
 * minus 10. On equal totals the earlier, shorter candidate wins. Adjacent unknown pieces fuse into one unknown
 * token, or into its UTF-8 byte tokens when the vocabulary has {@code <0xNN>} BYTE tokens (byte fallback).
 */
public final class UnigramTokenizer extends AbstractTokenizer implements Tokenizer {
    static final char SPACE = '\u2581';
    static final double UNK_PENALTY = 10.0;

    private final PrecompiledCharsMap charsmap;
    private final boolean addSpacePrefix;
    private final boolean removeExtraWhitespaces;
    private final CharTrie pieces;
    private final double unkScore;
    private final int unk;
    private final int[] byteIds;
    private final boolean byteFallback;

    UnigramTokenizer(Metadata md) {
        Vocabulary v = new Vocabulary(md, "t5");
        super(v, v.specialTokens(md, -1, 1, 2, -1, 0, -1, false, true, false, true), new SpecialTokenSplitter(addedTokenTexts(v)));
        addSpacePrefix = md.getBool(Vocabulary.ADD_SPACE_PREFIX, true);
        removeExtraWhitespaces = md.getBool(Vocabulary.REMOVE_EXTRA_WHITESPACES, true);
        // An empty charsmap means no normalisation rules, as llama.cpp reads it.
        charsmap = md.has(Vocabulary.PRECOMPILED_CHARSMAP) && bytes(md).length > 0 ? new PrecompiledCharsMap(bytes(md)) : null;
        unk = special.unk();
        if (unk < 0) throw new IllegalArgumentException("t5 vocabulary without an unknown token (" + Vocabulary.UNK_ID + ")");
        pieces = new CharTrie(v.size() * 4);
        double min = Double.POSITIVE_INFINITY;
        boolean anyByte = false;
        for (int id = 0; id < v.size(); id++) {
            pieces.add(v.tokens[id], id);
            min = Math.min(min, v.scores[id]);
            anyByte |= v.type(id) == TokenTypes.BYTE;
        }
        unkScore = min - UNK_PENALTY;
        byteFallback = anyByte;
        byteIds = v.byteTokens();
    }

    private static byte[] bytes(Metadata md) {
        Object values = md.getArray(Vocabulary.PRECOMPILED_CHARSMAP).values();
        if (values instanceof byte[] b) return b;
        throw new IllegalArgumentException(Vocabulary.PRECOMPILED_CHARSMAP + " must be an array of UINT8 or INT8");
    }

    @Override
    void encodeText(String segment, IntList out) {
        encode(charsmap != null ? charsmap.normalize(segment) : segment, null, out);
    }

    /**
     * A token spans the source chars of its first to its last normalised char (see {@link PrecompiledCharsMap#normalize});
     * the ▁ put before the text comes from the first char, a run of spaces from its last.
     */
    @Override
    boolean encodeTextWithSpans(String segment, int base, IntList out, Spans spans) {
        IntList starts = new IntList(segment.length() + 8), ends = new IntList(segment.length() + 8);
        String s;
        if (charsmap != null) {
            s = charsmap.normalize(segment, starts, ends);
        } else {
            s = segment;
            for (int i = 0; i < s.length(); i++) {
                starts.add(i);
                ends.add(i + 1);
            }
        }
        int[] st = starts.toArray(), en = ends.toArray();
        encode(s, (from, to) -> spans.add(base + st[from], base + en[to - 1]), out);
        return true;
    }

    /**
     * The ids of the normalised segment {@code s}; with {@code located}, each token's range of chars of {@code s} (the ▁
     * put before the text counts as its first char).
     */
    private void encode(String s, SpanSink located, IntList out) {
        char[] text = new char[s.length() + 1];
        int[] source = new int[s.length() + 1]; // text[j] is char source[j] of s
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (removeExtraWhitespaces && c == ' ' && i + 1 < s.length() && s.charAt(i + 1) == ' ') {
                continue; // of a run of spaces only the last one stays
            }
            source[n] = i;
            text[n++] = c == ' ' ? SPACE : c;
        }
        if (n == 0) return;
        if (addSpacePrefix && text[0] != SPACE) {
            System.arraycopy(text, 0, text, 1, n);
            System.arraycopy(source, 0, source, 1, n);
            text[0] = SPACE;
            n++;
        }
        SpanSink inText = located == null ? null : (from, to) -> located.add(source[from], source[to - 1] + 1);
        int wordStart = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || text[i] == SPACE) {
                viterbi(text, wordStart, i, out, inText);
                wordStart = i;
            }
        }
    }

    /** Appends the ids of the word {@code text[from, to)}; with {@code spans}, each token's chars of {@code text}. */
    private void viterbi(char[] text, int from, int to, IntList out, SpanSink spans) {
        int len = to - from;
        double[] best = new double[len + 1];
        int[] startAt = new int[len + 1];
        int[] tokenAt = new int[len + 1];
        java.util.Arrays.fill(startAt, -1);
        startAt[0] = 0;
        for (int pos = 0; pos < len; ) {
            int charLen = Character.isHighSurrogate(text[from + pos]) && pos + 1 < len && Character.isLowSurrogate(text[from + pos + 1]) ? 2 : 1;
            double here = best[pos];
            boolean singleChar = false;
            int node = 0;
            for (int k = pos; k < len; k++) {
                node = pieces.child(node, text[from + k]);
                if (node == CharTrie.NONE) break;
                int id = pieces.value(node);
                int end = k + 1;
                if (id == CharTrie.NONE || (end < len && Character.isLowSurrogate(text[from + end]) && Character.isHighSurrogate(text[from + k]))) continue;
                double candidate = here + vocab.scores[id];
                if (startAt[end] < 0 || candidate > best[end]) {
                    best[end] = candidate;
                    startAt[end] = pos;
                    tokenAt[end] = id;
                }
                if (end - pos == charLen) singleChar = true;
            }
            if (!singleChar) {
                int end = pos + charLen;
                double candidate = here + unkScore;
                if (startAt[end] < 0 || candidate > best[end]) {
                    best[end] = candidate;
                    startAt[end] = pos;
                    tokenAt[end] = unk;
                }
            }
            pos += charLen;
        }
        // back-track, then emit left to right; adjacent unknown pieces fuse
        int count = 0;
        int[] ends = new int[len];
        for (int end = len; end > 0; end = startAt[end]) ends[count++] = end;
        int unkFrom = -1;
        for (int k = count - 1; k >= 0; k--) {
            int end = ends[k];
            int start = startAt[end];
            if (tokenAt[end] == unk) {
                if (unkFrom < 0) unkFrom = start;
                continue;
            }
            if (unkFrom >= 0) {
                emitUnknown(text, from + unkFrom, from + start, out, spans);
                unkFrom = -1;
            }
            out.add(tokenAt[end]);
            if (spans != null) spans.add(from + start, from + end);
        }
        if (unkFrom >= 0) emitUnknown(text, from + unkFrom, from + len, out, spans);
    }

    private void emitUnknown(char[] text, int from, int to, IntList out, SpanSink spans) {
        int mark = out.size();
        emitUnknown(text, from, to, out);
        if (spans != null) for (int t = mark; t < out.size(); t++) spans.add(from, to);
    }

    private void emitUnknown(char[] text, int from, int to, IntList out) {
        int id = vocab.ids.get(text, from, to);
        if (id >= 0) {
            out.add(id);
            return;
        }
        if (byteFallback) {
            byte[] utf8 = new String(text, from, to - from).getBytes(StandardCharsets.UTF_8);
            boolean all = true;
            for (byte b : utf8) all &= byteIds[b & 0xFF] >= 0;
            if (all) {
                for (byte b : utf8) out.add(byteIds[b & 0xFF]);
                return;
            }
        }
        out.add(unk);
    }

    /** ▁ back to spaces, byte tokens to UTF-8, and the leading space of a prefixed text removed (Metaspace decoder). */
    @Override
    public String decode(int[] ids) {
        return SentencePieceTokenizer.decodePieces(this, ids, byteIds, addSpacePrefix);
    }
}
