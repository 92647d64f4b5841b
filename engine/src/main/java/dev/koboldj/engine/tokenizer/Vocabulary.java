package dev.koboldj.engine.tokenizer;

import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.MetadataArray;
import java.util.Arrays;

/**
 * The {@code tokenizer.ggml.*} vocabulary of a GGUF file: token texts, their types and scores, a text to id index
 * over all tokens, and the special token ids and add flags with llama.cpp's defaults per tokenizer model.
 */
final class Vocabulary {
    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    static final String UNK_ID = "tokenizer.ggml.unknown_token_id";
    static final String SEP_ID = "tokenizer.ggml.seperator_token_id"; // sic: llama.cpp's spelling
    static final String PAD_ID = "tokenizer.ggml.padding_token_id";
    static final String MASK_ID = "tokenizer.ggml.mask_token_id";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SEP = "tokenizer.ggml.add_sep_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";
    static final String REMOVE_EXTRA_WHITESPACES = "tokenizer.ggml.remove_extra_whitespaces";
    static final String PRECOMPILED_CHARSMAP = "tokenizer.ggml.precompiled_charsmap";
    static final String LOWERCASE = "tokenizer.ggml.normalizer.lowercase";
    static final String STRIP_ACCENTS = "tokenizer.ggml.normalizer.strip_accents";

    final String model;
    final String[] tokens;
    /** GGUF token type per id ({@link TokenTypes}); NORMAL where the file has no types. */
    final int[] types;
    /** Score per id; 0 where the file has no scores. */
    final float[] scores;
    /** Every token text to its id. */
    final StringIdMap ids;

    Vocabulary(Metadata md, String model) {
        this.model = model;
        if (!md.has(TOKENS)) throw new IllegalArgumentException("GGUF metadata has no " + TOKENS + " (the vocabulary of the '" + model + "' tokenizer)");
        String[] raw = md.getStringArray(TOKENS);
        int n = raw.length;
        if (n == 0) throw new IllegalArgumentException(TOKENS + " is empty");
        tokens = new String[n];
        for (int i = 0; i < n; i++) tokens[i] = raw[i].isEmpty() ? "[EMPTY_" + i + "]" : raw[i]; // as llama.cpp
        types = new int[n];
        if (md.has(TOKEN_TYPE)) {
            int[] t = md.getIntArray(TOKEN_TYPE);
            if (t.length < n) throw new IllegalArgumentException(TOKEN_TYPE + " has " + t.length + " entries for " + n + " tokens");
            System.arraycopy(t, 0, types, 0, n);
        } else {
            Arrays.fill(types, TokenTypes.NORMAL);
        }
        scores = new float[n];
        if (md.has(SCORES)) {
            MetadataArray a = md.getArray(SCORES);
            float[] s = a.values() instanceof int[] ints ? toFloats(ints) : md.getFloatArray(SCORES);
            if (s.length < n) throw new IllegalArgumentException(SCORES + " has " + s.length + " entries for " + n + " tokens");
            System.arraycopy(s, 0, scores, 0, n);
        }
        ids = new StringIdMap(tokens, id -> true);
    }

    private static float[] toFloats(int[] ints) {
        float[] f = new float[ints.length];
        for (int i = 0; i < ints.length; i++) f[i] = ints[i];
        return f;
    }

    int size() {
        return tokens.length;
    }

    int type(int id) {
        return types[id];
    }

    /** Tokens that Hugging Face keeps as added tokens: matched in the raw text before any normalisation. */
    boolean isAddedToken(int id) {
        int t = types[id];
        return t == TokenTypes.CONTROL || t == TokenTypes.USER_DEFINED || t == TokenTypes.UNKNOWN;
    }

    /** Tokens that decoding leaves out (Hugging Face's skip_special_tokens; llama.cpp's CONTROL and UNKNOWN). */
    boolean isSkippedOnDecode(int id) {
        int t = types[id];
        return t == TokenTypes.CONTROL || t == TokenTypes.UNKNOWN;
    }

    /** The id of a byte token {@code <0xNN>} per byte value, -1 where the vocabulary lacks it. */
    int[] byteTokens() {
        int[] b = new int[256];
        for (int i = 0; i < 256; i++) b[i] = ids.get(String.format("<0x%02X>", i));
        return b;
    }

    /**
     * Reads the special token ids and add flags, starting from llama.cpp's defaults for this model; an id outside
     * the vocabulary counts as absent. An add flag that is set for an absent token fails, as in llama.cpp.
     */
    SpecialTokens specialTokens(Metadata md, int bos, int eos, int unk, int sep, int pad, int mask,
                                boolean addBos, boolean addEos, boolean addSep, boolean clsIsBos) {
        bos = id(md, BOS_ID, bos);
        eos = id(md, EOS_ID, eos);
        unk = id(md, UNK_ID, unk);
        sep = id(md, SEP_ID, sep);
        pad = id(md, PAD_ID, pad);
        mask = id(md, MASK_ID, mask);
        addBos = md.getBool(ADD_BOS, addBos);
        addEos = md.getBool(ADD_EOS, addEos);
        addSep = md.getBool(ADD_SEP, addSep);
        require(addBos, bos, ADD_BOS, BOS_ID);
        require(addEos, eos, ADD_EOS, EOS_ID);
        require(addSep, sep, ADD_SEP, SEP_ID);
        return new SpecialTokens(bos, eos, unk, sep, pad, clsIsBos ? bos : -1, mask, addBos, addEos, addSep);
    }

    private int id(Metadata md, String key, int fallback) {
        if (fallback >= tokens.length) fallback = -1;
        if (!md.has(key)) return fallback;
        long v = md.getLong(key);
        return v >= 0 && v < tokens.length ? (int) v : fallback;
    }

    private static void require(boolean add, int id, String addKey, String idKey) {
        if (add && id < 0) throw new IllegalArgumentException(addKey + " is true, but " + idKey + " is not set");
    }
}
