package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.gguf.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}): GPT-2, Llama-3, Qwen2/2.5/3.
 *
 * <p>Pipeline per piece of text between added tokens: NFC for {@code qwen2}; the pre-tokenizer regex chosen by
 * {@code tokenizer.ggml.pre}; each piece's UTF-8 bytes mapped to GPT-2's byte characters; merges applied by rank
 * ({@code tokenizer.ggml.merges}, rank = index). For {@code llama-bpe} a piece that is itself a token is taken
 * whole (Hugging Face's ignore_merges). Supported pre-tokenizers: {@code default} and {@code gpt-2} (ByteLevel's
 * regex), {@code llama-bpe} (also {@code llama3}, {@code llama-v3}), {@code qwen2} (also {@code deepseek-r1-qwen}).
 */
public final class BpeTokenizer extends AbstractTokenizer implements Tokenizer {
    private static final int CACHE_LIMIT = 1 << 16;
    private static final int CACHED_PIECE_MAX_CHARS = 48;

    private final BpePreTokenizer pre;
    private final boolean nfc;
    private final boolean ignoreMerges;
    private final BpeMerger merger;
    /** Token id of each byte's character, -1 where the vocabulary lacks it. */
    private final int[] byteIds = new int[256];
    /** Piece text to ids; cleared when full. */
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(Metadata md) {
        Vocabulary v = new Vocabulary(md, "gpt2");
        String preName = md.getString(Vocabulary.PRE, "default");
        super(v, v.specialTokens(md, -1, -1, -1, -1, -1, -1, isLlama3(preName), false, false, false), new SpecialTokenSplitter(addedTokenTexts(v)));
        switch (preName) {
            case "default", "gpt-2" -> {
                pre = BpePreTokenizer.GPT2;
                nfc = false;
                ignoreMerges = false;
            }
            case "llama-bpe", "llama3", "llama-v3" -> {
                pre = BpePreTokenizer.LLAMA3;
                nfc = false;
                ignoreMerges = true;
            }
            case "qwen2", "deepseek-r1-qwen" -> {
                pre = BpePreTokenizer.QWEN2;
                nfc = true;
                ignoreMerges = false;
            }
            default -> throw new IllegalArgumentException("unknown pre-tokenizer '" + preName + "' (" + Vocabulary.PRE
                    + "); koboldj's gpt2 tokenizer supports default, gpt-2, llama-bpe, llama3, llama-v3, qwen2, deepseek-r1-qwen");
        }
        for (int b = 0; b < 256; b++) byteIds[b] = v.ids.get(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
        if (!md.has(Vocabulary.MERGES)) throw new IllegalArgumentException("gpt2 vocabulary without " + Vocabulary.MERGES);
        String[] merges = md.getStringArray(Vocabulary.MERGES);
        LongIntMap ranks = new LongIntMap(merges.length);
        int[] results = new int[merges.length];
        for (int rank = 0; rank < merges.length; rank++) {
            String m = merges[rank];
            int space = m.indexOf(' ', 1);
            if (space < 0) continue;
            int left = v.ids.get(m, 0, space);
            int right = v.ids.get(m, space + 1, m.length());
            int merged = v.ids.get(m.substring(0, space) + m.substring(space + 1));
            if (left < 0 || right < 0 || merged < 0) continue; // a merge of unknown pieces can never apply
            results[rank] = merged;
            ranks.putIfAbsent((long) left << 32 | right, rank);
        }
        merger = new BpeMerger(ranks, results);
    }

    private static boolean isLlama3(String pre) {
        return pre.equals("llama-bpe") || pre.equals("llama3") || pre.equals("llama-v3");
    }

    @Override
    void encodeText(String segment, IntList out) {
        String s = nfc ? HfNormalization.nfc(segment) : segment;
        pre.split(s, (from, to) -> encodePiece(s, from, to, out));
    }

    /**
     * A token spans the chars that hold its bytes (a token that ends inside a multi-byte character spans all of it);
     * where NFC changed the text, the chars it came from ({@link HfNormalization#alignedNfc}).
     */
    @Override
    boolean encodeTextWithSpans(String segment, int base, IntList out, Spans spans) {
        String s = segment;
        int[] sourceStart = null, sourceEnd = null;
        String normalized = nfc ? HfNormalization.nfc(segment) : segment;
        if (!normalized.equals(segment)) {
            IntList starts = new IntList(segment.length()), ends = new IntList(segment.length());
            s = HfNormalization.alignedNfc(segment, normalized, starts, ends);
            if (s == null) {
                encodeText(segment, out);
                return false;
            }
            sourceStart = starts.toArray();
            sourceEnd = ends.toArray();
        }
        String text = s;
        int[] st = sourceStart, en = sourceEnd;
        boolean[] aligned = {true};
        pre.split(text, (from, to) -> {
            int mark = out.size();
            encodePiece(text, from, to, out);
            // charAt[b] / charEnd[b]: the chars [charAt, charEnd) of the piece's UTF-8 byte b
            int[] charAt = new int[4 * (to - from)], charEnd = new int[charAt.length];
            int bytes = 0;
            for (int c = from; c < to; ) {
                int cp = text.codePointAt(c), next = c + Character.charCount(cp);
                for (int k = Utf8.length(cp); k > 0; k--, bytes++) {
                    charAt[bytes] = c;
                    charEnd[bytes] = next;
                }
                c = next;
            }
            for (int i = mark, b = 0; i < out.size(); i++) {
                int len = vocab.tokens[out.get(i)].length(); // byte-level: one char per byte
                if (len == 0 || b + len > bytes) { // a vocabulary without some byte symbols: the bytes do not line up
                    aligned[0] = false;
                    spans.add(-1, -1);
                    continue;
                }
                int first = charAt[b], end = charEnd[b + len - 1];
                spans.add(base + (st == null ? first : st[first]), base + (en == null ? end : en[end - 1]));
                b += len;
            }
        });
        return aligned[0];
    }

    private void encodePiece(String s, int from, int to, IntList out) {
        boolean cacheable = to - from <= CACHED_PIECE_MAX_CHARS;
        String key = null;
        if (cacheable) {
            key = s.substring(from, to);
            int[] hit = cache.get(key);
            if (hit != null) {
                for (int id : hit) out.add(id);
                return;
            }
        }
        int mark = out.size();
        byte[] utf8 = (key != null ? key : s.substring(from, to)).getBytes(StandardCharsets.UTF_8);
        if (ignoreMerges) {
            char[] mapped = new char[utf8.length];
            for (int i = 0; i < utf8.length; i++) mapped[i] = ByteLevel.BYTE_TO_CHAR[utf8[i] & 0xFF];
            int whole = vocab.ids.get(mapped, 0, mapped.length);
            if (whole >= 0) {
                out.add(whole);
                remember(key, out, mark);
                return;
            }
        }
        int[] symbols = new int[utf8.length];
        int n = 0;
        for (byte b : utf8) {
            int id = byteIds[b & 0xFF];
            if (id >= 0) symbols[n++] = id; // a byte-level vocabulary has all 256; a missing one is dropped, as by llama.cpp
        }
        merger.merge(symbols, n, out);
        remember(key, out, mark);
    }

    private void remember(String key, IntList out, int mark) {
        if (key == null) return;
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        int[] ids = new int[out.size() - mark];
        for (int i = 0; i < ids.length; i++) ids[i] = out.get(mark + i);
        cache.put(key, ids);
    }

    /**
     * Hugging Face's ByteLevel decoder: each token's characters back to bytes (a token with a character outside the
     * byte alphabet, such as an added token's raw text, contributes its UTF-8 bytes), then UTF-8 with U+FFFD for
     * invalid sequences.
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            checkId(id);
            if (vocab.isSkippedOnDecode(id)) continue;
            String t = vocab.tokens[id];
            boolean mapped = true;
            for (int i = 0; i < t.length(); i++) {
                if (ByteLevel.byteOf(t.charAt(i)) < 0) {
                    mapped = false;
                    break;
                }
            }
            if (mapped) {
                for (int i = 0; i < t.length(); i++) bytes.write(ByteLevel.byteOf(t.charAt(i)));
            } else {
                bytes.writeBytes(t.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Utf8.decodeLossy(bytes.toByteArray());
    }
}
