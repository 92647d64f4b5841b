package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.gguf.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SentencePiece BPE ({@code tokenizer.ggml.model = llama}): Llama-2, Mistral, Gemma.
 *
 * <p>Per piece of text between added tokens: spaces become ▁ and, when {@code tokenizer.ggml.add_space_prefix}
 * (default true), a ▁ is put in front (Hugging Face's Prepend normaliser, applied to every such piece). Starting
 * from single characters, the adjacent pair whose concatenation is the highest-scoring NORMAL token is merged
 * (the leftmost among equal scores) until no pair forms a token. A final symbol that is no token is written as its
 * UTF-8 bytes {@code <0xNN>} (byte fallback), or the unknown token where the vocabulary has no byte tokens.
 *
 * <p>When no NORMAL piece has a ▁ after another character (true of SentencePiece vocabularies trained with
 * whitespace splitting, checked at load), no merge can cross a point where a ▁ follows another character, so the
 * text is merged word by word between such points, with a cache of recent words; the result is the same.
 */
public final class SentencePieceTokenizer extends AbstractTokenizer implements Tokenizer {
    static final char SPACE = '\u2581';

    private static final int CACHE_LIMIT = 1 << 16;
    private static final int CACHED_WORD_MAX_CHARS = 48;

    private final boolean addSpacePrefix;
    private final int[] byteIds;
    /** True when merging may be done word by word (see the class comment). */
    private final boolean wordLocal;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    SentencePieceTokenizer(Metadata md) {
        Vocabulary v = new Vocabulary(md, "llama");
        super(v, v.specialTokens(md, 1, 2, 0, -1, -1, -1, true, false, false, false), new SpecialTokenSplitter(addedTokenTexts(v)));
        addSpacePrefix = md.getBool(Vocabulary.ADD_SPACE_PREFIX, true);
        byteIds = v.byteTokens();
        wordLocal = noInnerSpace(v);
    }

    private static boolean noInnerSpace(Vocabulary v) {
        for (int id = 0; id < v.size(); id++) {
            if (v.type(id) != TokenTypes.NORMAL) continue;
            String t = v.tokens[id];
            for (int i = 1; i < t.length(); i++) if (t.charAt(i) == SPACE && t.charAt(i - 1) != SPACE) return false;
        }
        return true;
    }

    @Override
    void encodeText(String segment, IntList out) {
        encode(segment, out, null, 0);
    }

    /**
     * A token spans the chars of its symbol (every byte-fallback token the whole character); the ▁ put before the text
     * counts as part of its first character, the ▁ that replaced a space as that space.
     */
    @Override
    boolean encodeTextWithSpans(String segment, int base, IntList out, Spans spans) {
        encode(segment, out, spans, base);
        return true;
    }

    /** The ids of {@code segment}; with {@code spans} (the uncached path) also each token's chars, {@code base} being where the segment starts. */
    private void encode(String segment, IntList out, Spans spans, int base) {
        int prefix = addSpacePrefix ? 1 : 0, n = segment.length() + prefix;
        char[] text = new char[n];
        int o = 0;
        if (addSpacePrefix) text[o++] = SPACE;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            text[o++] = c == ' ' ? SPACE : c;
        }
        // symbol chars [from, to) of text are chars [from - prefix, to - prefix) of the segment, the prefix its first
        SpanSink located = spans == null ? null
                : (from, to) -> spans.add(base + Math.max(0, from - prefix), base + Math.max(Math.min(1, segment.length()), to - prefix));
        if (!wordLocal) {
            new Merge(text, 0, n).run(out, located);
            return;
        }
        int wordStart = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || (text[i] == SPACE && text[i - 1] != SPACE)) {
                if (located == null) encodeWord(text, wordStart, i, out);
                else new Merge(text, wordStart, i).run(out, located);
                wordStart = i;
            }
        }
    }

    private void encodeWord(char[] text, int from, int to, IntList out) {
        if (to - from > CACHED_WORD_MAX_CHARS) {
            new Merge(text, from, to).run(out, null);
            return;
        }
        String key = new String(text, from, to - from);
        int[] hit = cache.get(key);
        if (hit != null) {
            for (int id : hit) out.add(id);
            return;
        }
        int mark = out.size();
        new Merge(text, from, to).run(out, null);
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        int[] ids = new int[out.size() - mark];
        for (int i = 0; i < ids.length; i++) ids[i] = out.get(mark + i);
        cache.put(key, ids);
    }

    /** One merge run over a text: symbols are char ranges {@code [start[i], end[i])} linked in a list. */
    private final class Merge {
        private final char[] text;
        private final int[] start;
        private final int[] end;
        private final int[] prev;
        private final int[] next;
        private int count;
        /** Candidate heap: parallel arrays of (score, left symbol, right symbol, merged end), ordered by score then left. */
        private float[] hScore;
        private int[] hLeft;
        private int[] hRight;
        private int[] hEnd;
        private int[] heap;
        private int heapSize;
        private int entries;

        /** Symbols over {@code text[from, to)}; positions stay those of the whole buffer. */
        Merge(char[] text, int from, int to) {
            this.text = text;
            int n = to;
            start = new int[to - from];
            end = new int[to - from];
            prev = new int[to - from];
            next = new int[to - from];
            for (int i = from; i < n; ) {
                int len = Character.isHighSurrogate(text[i]) && i + 1 < n && Character.isLowSurrogate(text[i + 1]) ? 2 : 1;
                start[count] = i;
                end[count] = i + len;
                prev[count] = count - 1;
                next[count] = -1;
                if (count > 0) next[count - 1] = count;
                count++;
                i += len;
            }
            int cap = Math.max(4, count * 2);
            hScore = new float[cap];
            hLeft = new int[cap];
            hRight = new int[cap];
            hEnd = new int[cap];
            heap = new int[cap];
        }

        /** Appends the ids; with {@code spans}, each token's symbol chars too. */
        void run(IntList out, SpanSink spans) {
            if (count == 0) return;
            for (int i = 0; i + 1 < count; i++) tryPair(i, i + 1);
            while (heapSize > 0) {
                int e = pop();
                int left = hLeft[e];
                int right = hRight[e];
                // stale when either side was merged away or has grown since the candidate was made
                if (start[left] < 0 || start[right] < 0 || next[left] != right || end[right] != hEnd[e]) continue;
                end[left] = end[right];
                start[right] = -1;
                next[left] = next[right];
                if (next[left] >= 0) prev[next[left]] = left;
                if (prev[left] >= 0) tryPair(prev[left], left);
                if (next[left] >= 0) tryPair(left, next[left]);
            }
            for (int i = 0; i >= 0; i = next[i]) {
                int mark = out.size();
                emit(start[i], end[i], out);
                if (spans != null) for (int t = mark; t < out.size(); t++) spans.add(start[i], end[i]);
            }
        }

        private void tryPair(int left, int right) {
            int id = vocab.ids.get(text, start[left], end[right]);
            if (id < 0 || vocab.type(id) != TokenTypes.NORMAL) return;
            push(vocab.scores[id], left, right, end[right]);
        }

        private void emit(int from, int to, IntList out) {
            int id = vocab.ids.get(text, from, to);
            if (id >= 0) {
                out.add(id);
                return;
            }
            byte[] utf8 = new String(text, from, to - from).getBytes(StandardCharsets.UTF_8);
            for (byte b : utf8) {
                int bid = byteIds[b & 0xFF];
                if (bid < 0) {
                    out.add(special.unk());
                    return;
                }
            }
            for (byte b : utf8) out.add(byteIds[b & 0xFF]);
        }

        /** True when entry a comes before entry b: higher score, then the leftmost symbol. */
        private boolean before(int a, int b) {
            if (hScore[a] != hScore[b]) return hScore[a] > hScore[b];
            return hLeft[a] < hLeft[b];
        }

        private void push(float score, int left, int right, int mergedEnd) {
            if (entries == hScore.length) {
                int cap = entries * 2;
                hScore = java.util.Arrays.copyOf(hScore, cap);
                hLeft = java.util.Arrays.copyOf(hLeft, cap);
                hRight = java.util.Arrays.copyOf(hRight, cap);
                hEnd = java.util.Arrays.copyOf(hEnd, cap);
            }
            if (heapSize == heap.length) heap = java.util.Arrays.copyOf(heap, heapSize * 2);
            int e = entries++;
            hScore[e] = score;
            hLeft[e] = left;
            hRight[e] = right;
            hEnd[e] = mergedEnd;
            int i = heapSize++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (!before(e, heap[p])) break;
                heap[i] = heap[p];
                i = p;
            }
            heap[i] = e;
        }

        private int pop() {
            int top = heap[0];
            int last = heap[--heapSize];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= heapSize) break;
                if (c + 1 < heapSize && before(heap[c + 1], heap[c])) c++;
                if (!before(heap[c], last)) break;
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = last;
            return top;
        }
    }

    /**
     * Hugging Face's decoder for these models: ▁ back to spaces, consecutive byte tokens joined into UTF-8 (each
     * byte of an invalid sequence becomes U+FFFD), and one leading space removed when a space prefix is added.
     */
    @Override
    public String decode(int[] ids) {
        return decodePieces(this, ids, byteIds, addSpacePrefix);
    }

    static String decodePieces(AbstractTokenizer t, int[] ids, int[] byteIds, boolean stripLeadingSpace) {
        StringBuilder sb = new StringBuilder(ids.length * 4);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (int id : ids) {
            t.checkId(id);
            if (t.vocab.isSkippedOnDecode(id)) continue;
            if (t.vocab.type(id) == TokenTypes.BYTE) {
                int b = byteValue(t.vocab.tokens[id]);
                if (b >= 0) {
                    pending.write(b);
                    continue;
                }
            }
            flushBytes(pending, sb);
            sb.append(t.vocab.tokens[id].replace(SPACE, ' '));
        }
        flushBytes(pending, sb);
        if (stripLeadingSpace && !sb.isEmpty() && sb.charAt(0) == ' ') sb.deleteCharAt(0);
        return sb.toString();
    }

    private static void flushBytes(ByteArrayOutputStream pending, StringBuilder sb) {
        if (pending.size() == 0) return;
        byte[] b = pending.toByteArray();
        String s = Utf8.decodeStrict(b, b.length);
        if (s != null) sb.append(s);
        else sb.append("\uFFFD".repeat(b.length));
        pending.reset();
    }

    /** The byte of a {@code <0xNN>} token, or -1. */
    static int byteValue(String t) {
        if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
        int hi = Character.digit(t.charAt(3), 16);
        int lo = Character.digit(t.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }
}
