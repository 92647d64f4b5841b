package dev.koboldj.engine.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.MetadataArray;
import dev.koboldj.engine.gguf.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} (and optionally its {@code tokenizer_config.json}) and returns the
 * {@code tokenizer.ggml.*} metadata that llama.cpp's converter writes for it, so that a GGUF vocabulary can be built
 * from a real tokenizer without Python.
 *
 * <ul>
 *   <li>WordPiece becomes {@code bert} in llama.cpp's phantom-space convention ({@code "▁"+piece} starts a word,
 *       {@code ##piece} becomes {@code piece}, {@code [BRACKETED]} tokens stay), plus the BertNormalizer's
 *       {@code tokenizer.ggml.normalizer.lowercase} and {@code .strip_accents}.</li>
 *   <li>Byte-level BPE becomes {@code gpt2} with its merges; {@code tokenizer.ggml.pre} is recognised from the
 *       pre-tokenizer: {@code gpt-2} (ByteLevel's own regex), {@code llama-bpe} (Llama-3 regex), {@code qwen2}
 *       (Qwen2 regex with NFC).</li>
 *   <li>BPE over SentencePiece pieces with byte fallback becomes {@code llama}; since GGUF keeps scores rather than
 *       merges for it, each piece scores minus the rank of the first merge that produces it, which makes
 *       highest-score-first merging equal to lowest-rank-first.</li>
 *   <li>Unigram becomes {@code t5} with its scores, the precompiled charsmap (UINT8 array), add_space_prefix and
 *       remove_extra_whitespaces.</li>
 * </ul>
 *
 * <p>Token types follow the converter: added special tokens (or added tokens that look special, such as
 * {@code <|...|>}) are CONTROL, other added tokens USER_DEFINED, {@code <0xNN>} pieces of byte-fallback models BYTE,
 * missing ids {@code [PAD<id>]} UNUSED. Special ids come from tokenizer_config.json when given, else from the
 * tokenizer.json itself (post-processor template, the model's unk token, padding, added tokens by name). The add
 * flags reflect what the post-processor adds to a single text (TemplateProcessing, Bert/RobertaProcessing; nothing
 * for ByteLevel), overridden by add_bos_token/add_eos_token in tokenizer_config.json, and are always written.
 *
 * @throws IllegalArgumentException (from every method) for a tokenizer that llama.cpp's tokenizer models cannot
 *                                  express; the message names the unsupported part
 */
public final class HfTokenizerImporter {
    /** The pre-tokenizer regex of Llama-3 ({@code llama-bpe}). */
    public static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** The pre-tokenizer regex of Qwen2/2.5/3 ({@code qwen2}). */
    public static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfTokenizerImporter() {
    }

    public static Metadata importTokenizer(Path tokenizerJson, Path tokenizerConfigOrNull) throws IOException {
        JsonNode config = tokenizerConfigOrNull == null ? null : JSON.readTree(Files.readString(tokenizerConfigOrNull));
        return convert(JSON.readTree(Files.readString(tokenizerJson)), config);
    }

    public static Metadata importTokenizer(InputStream tokenizerJson, InputStream tokenizerConfigOrNull) throws IOException {
        JsonNode config = tokenizerConfigOrNull == null ? null : JSON.readTree(tokenizerConfigOrNull);
        return convert(JSON.readTree(tokenizerJson), config);
    }

    public static Metadata importTokenizer(String tokenizerJson, String tokenizerConfigOrNull) {
        try {
            JsonNode config = tokenizerConfigOrNull == null ? null : JSON.readTree(tokenizerConfigOrNull);
            return convert(JSON.readTree(tokenizerJson), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** One added token of tokenizer.json. */
    private record Added(int id, String content, boolean special) {
    }

    private static Metadata convert(JsonNode root, JsonNode config) {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("");
        if (type.isEmpty()) throw new IllegalArgumentException("tokenizer.json has no model.type");
        List<Added> added = new ArrayList<>();
        for (JsonNode a : root.path("added_tokens")) added.add(new Added(a.path("id").asInt(), a.path("content").asText(), a.path("special").asBoolean(false)));

        return switch (type) {
            case "WordPiece" -> wordPiece(root, model, added, config);
            case "Unigram" -> unigram(root, model, added, config);
            case "BPE" -> isByteLevel(root) ? byteLevelBpe(root, model, added, config) : sentencePieceBpe(root, model, added, config);
            default -> throw new IllegalArgumentException("unsupported tokenizer model type '" + type + "' (WordPiece, BPE and Unigram can be imported)");
        };
    }

    // ---- vocabularies ------------------------------------------------------------------------------------------

    /** Token texts by id from a {token: id} vocab plus added tokens; missing ids become [PAD{id}]. */
    private static String[] tokensFromMap(JsonNode vocab, List<Added> added) {
        Map<Integer, String> byId = new HashMap<>();
        int max = -1;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            int id = e.getValue().asInt();
            byId.putIfAbsent(id, e.getKey());
            max = Math.max(max, id);
        }
        for (Added a : added) {
            byId.putIfAbsent(a.id, a.content);
            max = Math.max(max, a.id);
        }
        String[] tokens = new String[max + 1];
        for (int i = 0; i <= max; i++) tokens[i] = byId.get(i);
        return tokens;
    }

    /** Converter token types: CONTROL for special (or special-looking) added tokens, USER_DEFINED for other added. */
    private static int[] types(String[] tokens, List<Added> added) {
        int[] types = new int[tokens.length];
        Arrays.fill(types, NORMAL);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == null) {
                tokens[i] = "[PAD" + i + "]";
                types[i] = UNUSED;
            }
        }
        for (Added a : added) types[a.id] = a.special || looksSpecial(a.content) ? CONTROL : USER_DEFINED;
        return types;
    }

    /** llama.cpp's converter treats these added tokens as control tokens even when not marked special. */
    private static boolean looksSpecial(String t) {
        return t.equals("<pad>") || t.equals("<mask>") || t.equals("<2mass>") || t.equals("[@BOS@]")
                || (t.startsWith("<|") && t.endsWith("|>")) || (t.startsWith("<｜") && t.endsWith("｜>"))
                || (t.startsWith("<unused") && t.endsWith(">"));
    }

    private static boolean isBytePiece(String t) {
        return t.length() == 6 && t.startsWith("<0x") && t.endsWith(">") && isHex(t.charAt(3)) && isHex(t.charAt(4));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    // ---- WordPiece -> bert ---------------------------------------------------------------------------------

    private static Metadata wordPiece(JsonNode root, JsonNode model, List<Added> added, JsonNode config) {
        String prefix = model.path("continuing_subword_prefix").asText("##");
        if (!prefix.equals("##")) throw new IllegalArgumentException("WordPiece continuing_subword_prefix '" + prefix + "' is not supported (only ##)");
        int maxChars = model.path("max_input_chars_per_word").asInt(100);
        if (maxChars != 100) throw new IllegalArgumentException("WordPiece max_input_chars_per_word " + maxChars + " is not supported (only 100)");
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.path("type").asText("").equals("BertPreTokenizer")) {
            throw new IllegalArgumentException("WordPiece with pre-tokenizer " + pre + " is not supported (only BertPreTokenizer)");
        }
        JsonNode norm = root.path("normalizer");
        if (!norm.path("type").asText("").equals("BertNormalizer")) {
            throw new IllegalArgumentException("WordPiece with normalizer " + norm + " is not supported (only BertNormalizer)");
        }
        if (!norm.path("clean_text").asBoolean(true) || !norm.path("handle_chinese_chars").asBoolean(true)) {
            throw new IllegalArgumentException("BertNormalizer without clean_text or handle_chinese_chars is not supported: " + norm);
        }
        boolean lowercase = norm.path("lowercase").asBoolean(true);
        JsonNode strip = norm.path("strip_accents");
        boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;

        String[] tokens = tokensFromMap(model.path("vocab"), added);
        int[] types = types(tokens, added);
        Ids ids = new Ids(tokens, added, config);
        ids.unk = ids.orElse(ids.unk, ids.find(model.path("unk_token").asText(null)));
        for (int i = 0; i < tokens.length; i++) tokens[i] = phantom(tokens[i]);

        Metadata md = new Metadata();
        md.putString("tokenizer.ggml.model", "bert");
        md.putString("tokenizer.ggml.pre", "default");
        md.putStringArray("tokenizer.ggml.tokens", tokens);
        md.putInt32Array("tokenizer.ggml.token_type", types);
        md.putBool("tokenizer.ggml.normalizer.lowercase", lowercase);
        md.putBool("tokenizer.ggml.normalizer.strip_accents", stripAccents);
        Template t = template(root, ids);
        // BERT's [CLS] $A [SEP]: the converter stores [CLS] as BOS and [SEP] as EOS (and as the separator)
        if (ids.sep < 0) ids.sep = ids.orElse(t.lastId, ids.find("[SEP]"));
        if (ids.mask < 0) ids.mask = ids.find("[MASK]");
        if (ids.pad < 0) ids.pad = ids.find("[PAD]");
        finish(md, root, config, ids, t);
        return md;
    }

    /** llama.cpp's phantom-space form of a WordPiece token. */
    private static String phantom(String t) {
        if (t.startsWith("[") && t.endsWith("]")) return t;
        if (t.startsWith("##")) return t.substring(2);
        return "\u2581" + t;
    }

    // ---- byte-level BPE -> gpt2 ------------------------------------------------------------------------------

    private static boolean isByteLevel(JsonNode root) {
        if (root.path("decoder").path("type").asText("").equals("ByteLevel")) return true;
        JsonNode pre = root.path("pre_tokenizer");
        if (pre.path("type").asText("").equals("ByteLevel")) return true;
        for (JsonNode p : pre.path("pretokenizers")) if (p.path("type").asText("").equals("ByteLevel")) return true;
        return false;
    }

    private static Metadata byteLevelBpe(JsonNode root, JsonNode model, List<Added> added, JsonNode config) {
        String pre = byteLevelPre(root);
        String[] tokens = tokensFromMap(model.path("vocab"), added);
        int[] types = types(tokens, added);
        Ids ids = new Ids(tokens, added, config);
        ids.unk = ids.orElse(ids.unk, ids.find(model.path("unk_token").asText(null)));
        Metadata md = new Metadata();
        md.putString("tokenizer.ggml.model", "gpt2");
        md.putString("tokenizer.ggml.pre", pre);
        md.putStringArray("tokenizer.ggml.tokens", tokens);
        md.putInt32Array("tokenizer.ggml.token_type", types);
        md.putStringArray("tokenizer.ggml.merges", merges(model));
        finish(md, root, config, ids, template(root, ids));
        return md;
    }

    /** The {@code tokenizer.ggml.pre} name of a byte-level pre-tokenizer, recognised by its structure and regex. */
    private static String byteLevelPre(JsonNode root) {
        JsonNode pre = root.path("pre_tokenizer");
        JsonNode norm = root.path("normalizer");
        String normType = norm.isObject() ? norm.path("type").asText("") : "";
        if (pre.path("type").asText("").equals("ByteLevel")) {
            if (pre.path("add_prefix_space").asBoolean(false)) throw new IllegalArgumentException("ByteLevel pre-tokenizer with add_prefix_space is not supported");
            if (!pre.path("use_regex").asBoolean(true)) throw new IllegalArgumentException("ByteLevel pre-tokenizer without its regex is not supported");
            if (!normType.isEmpty()) throw new IllegalArgumentException("byte-level BPE with normalizer " + norm + " is not supported");
            return "gpt-2";
        }
        JsonNode list = pre.path("pretokenizers");
        if (pre.path("type").asText("").equals("Sequence") && list.size() == 2
                && list.get(0).path("type").asText("").equals("Split") && list.get(1).path("type").asText("").equals("ByteLevel")
                && !list.get(1).path("use_regex").asBoolean(true) && !list.get(1).path("add_prefix_space").asBoolean(false)
                && list.get(0).path("behavior").asText("").equals("Isolated") && !list.get(0).path("invert").asBoolean(false)) {
            String regex = list.get(0).path("pattern").path("Regex").asText("");
            if (regex.equals(LLAMA3_REGEX) && normType.isEmpty()) return "llama-bpe";
            if (regex.equals(QWEN2_REGEX) && normType.equals("NFC")) return "qwen2";
            throw new IllegalArgumentException("unsupported byte-level pre-tokenizer regex " + JSON.valueToTree(regex) + " with normalizer " + norm
                    + " (known: the Llama-3 regex without normalizer, the Qwen2 regex with NFC)");
        }
        throw new IllegalArgumentException("unsupported byte-level pre-tokenizer " + pre);
    }

    /** Merges as "left right"; a space inside a part is written as U+0120, as the converter does. */
    private static String[] merges(JsonNode model) {
        JsonNode merges = model.path("merges");
        String[] out = new String[merges.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode m = merges.get(i);
            if (m.isTextual()) out[i] = m.asText();
            else if (m.isArray() && m.size() == 2) out[i] = m.get(0).asText().replace(' ', '\u0120') + " " + m.get(1).asText().replace(' ', '\u0120');
            else throw new IllegalArgumentException("unknown merges format: " + m);
        }
        return out;
    }

    // ---- SentencePiece BPE -> llama --------------------------------------------------------------------------

    private static Metadata sentencePieceBpe(JsonNode root, JsonNode model, List<Added> added, JsonNode config) {
        boolean addSpacePrefix = spmSpaceHandling(root);
        String[] tokens = tokensFromMap(model.path("vocab"), added);
        int[] types = types(tokens, added);
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        for (int i = 0; i < tokens.length; i++) if (byteFallback && types[i] == NORMAL && isBytePiece(tokens[i])) types[i] = BYTE;
        Ids ids = new Ids(tokens, added, config);
        ids.unk = ids.orElse(ids.unk, ids.find(model.path("unk_token").asText(null)));

        // score = -(rank of the first merge producing the piece): the highest score is the lowest rank
        Map<String, Integer> idOf = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) idOf.putIfAbsent(tokens[i], i);
        float[] scores = new float[tokens.length];
        boolean[] produced = new boolean[tokens.length];
        String[] merges = merges(model);
        for (int rank = 0; rank < merges.length; rank++) {
            int space = merges[rank].indexOf(' ', 1);
            if (space < 0) throw new IllegalArgumentException("malformed merge '" + merges[rank] + "'");
            Integer id = idOf.get(merges[rank].substring(0, space) + merges[rank].substring(space + 1));
            if (id == null) throw new IllegalArgumentException("merge '" + merges[rank] + "' produces a piece missing from the vocabulary");
            if (!produced[id]) {
                produced[id] = true;
                scores[id] = -rank;
            }
        }
        Metadata md = new Metadata();
        md.putString("tokenizer.ggml.model", "llama");
        md.putString("tokenizer.ggml.pre", "default");
        md.putStringArray("tokenizer.ggml.tokens", tokens);
        md.putFloatArray("tokenizer.ggml.scores", scores);
        md.putInt32Array("tokenizer.ggml.token_type", types);
        md.putBool("tokenizer.ggml.add_space_prefix", addSpacePrefix);
        finish(md, root, config, ids, template(root, ids));
        return md;
    }

    /**
     * Checks that spaces become ▁ (a Replace normaliser or a Metaspace pre-tokenizer) and tells whether a ▁ is
     * prepended to the text (a Prepend normaliser, or Metaspace's prepend scheme).
     */
    private static boolean spmSpaceHandling(JsonNode root) {
        List<JsonNode> norms = flatten(root.path("normalizer"), "normalizers");
        boolean replace = false;
        boolean prepend = false;
        for (JsonNode n : norms) {
            switch (n.path("type").asText("")) {
                case "Prepend" -> prepend = n.path("prepend").asText().equals("\u2581");
                case "Replace" -> replace |= n.path("pattern").path("String").asText("").equals(" ") && n.path("content").asText().equals("\u2581");
                default -> throw new IllegalArgumentException("SentencePiece BPE with normalizer " + n + " is not supported");
            }
        }
        JsonNode pre = root.path("pre_tokenizer");
        if (pre.path("type").asText("").equals("Metaspace")) {
            replace = true;
            prepend = metaspacePrepends(pre);
            if (pre.path("split").asBoolean(true)) throw new IllegalArgumentException("Metaspace with split=true is not supported for BPE");
        } else if (pre.isObject()) {
            throw new IllegalArgumentException("SentencePiece BPE with pre-tokenizer " + pre + " is not supported");
        }
        if (!replace) throw new IllegalArgumentException("BPE tokenizer that is neither byte-level nor SentencePiece-style (spaces to ▁) is not supported");
        return prepend;
    }

    private static boolean metaspacePrepends(JsonNode metaspace) {
        String scheme = metaspace.path("prepend_scheme").asText("");
        if (scheme.isEmpty()) return metaspace.path("add_prefix_space").asBoolean(true);
        return !scheme.equals("never");
    }

    private static List<JsonNode> flatten(JsonNode node, String listField) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) return out;
        if (node.path("type").asText("").equals("Sequence")) {
            for (JsonNode n : node.path(listField)) out.addAll(flatten(n, listField));
        } else {
            out.add(node);
        }
        return out;
    }

    // ---- Unigram -> t5 ---------------------------------------------------------------------------------------

    private static Metadata unigram(JsonNode root, JsonNode model, List<Added> added, JsonNode config) {
        JsonNode vocab = model.path("vocab");
        int n = vocab.size();
        for (Added a : added) n = Math.max(n, a.id + 1);
        String[] tokens = new String[n];
        float[] scores = new float[n];
        for (int i = 0; i < vocab.size(); i++) {
            tokens[i] = vocab.get(i).get(0).asText();
            scores[i] = (float) vocab.get(i).get(1).asDouble();
        }
        for (Added a : added) if (tokens[a.id] == null) tokens[a.id] = a.content;
        int[] types = types(tokens, added);
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        int unkId = model.path("unk_id").isInt() ? model.path("unk_id").asInt() : -1;
        for (int i = 0; i < n; i++) {
            if (byteFallback && types[i] == NORMAL && isBytePiece(tokens[i])) types[i] = BYTE;
        }
        if (unkId >= 0 && unkId < n) types[unkId] = UNKNOWN; // the converter's XLM-R path types the unknown piece so

        byte[] charsmap = null;
        boolean collapse = false;
        for (JsonNode norm : flatten(root.path("normalizer"), "normalizers")) {
            switch (norm.path("type").asText("")) {
                case "Precompiled" -> {
                    String b64 = norm.path("precompiled_charsmap").asText("");
                    if (!b64.isEmpty()) charsmap = Base64.getDecoder().decode(b64);
                }
                case "Replace" -> {
                    if (norm.path("pattern").path("Regex").asText("").equals(" {2,}") && norm.path("content").asText().equals(" ")) collapse = true;
                    else throw new IllegalArgumentException("Unigram with normalizer " + norm + " is not supported");
                }
                default -> throw new IllegalArgumentException("Unigram with normalizer " + norm + " is not supported");
            }
        }
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.path("type").asText("").equals("Metaspace") || !pre.path("replacement").asText("").equals("\u2581")) {
            throw new IllegalArgumentException("Unigram with pre-tokenizer " + pre + " is not supported (only Metaspace with ▁)");
        }
        boolean prepend = metaspacePrepends(pre);
        if (pre.path("prepend_scheme").asText("").equals("first")) throw new IllegalArgumentException("Metaspace prepend_scheme 'first' is not supported");

        Ids ids = new Ids(tokens, added, config);
        if (ids.unk < 0 && unkId >= 0) ids.unk = unkId;
        Metadata md = new Metadata();
        md.putString("tokenizer.ggml.model", "t5");
        md.putString("tokenizer.ggml.pre", "default");
        md.putStringArray("tokenizer.ggml.tokens", tokens);
        md.putFloatArray("tokenizer.ggml.scores", scores);
        md.putInt32Array("tokenizer.ggml.token_type", types);
        md.putBool("tokenizer.ggml.add_space_prefix", prepend);
        md.putBool("tokenizer.ggml.remove_extra_whitespaces", collapse);
        if (charsmap != null) md.putArray("tokenizer.ggml.precompiled_charsmap", new MetadataArray(ValueType.UINT8, charsmap));
        Template t = template(root, ids);
        if (ids.mask < 0) ids.mask = ids.find("<mask>");
        if (ids.pad < 0) ids.pad = ids.find("<pad>");
        finish(md, root, config, ids, t);
        return md;
    }

    // ---- special tokens ---------------------------------------------------------------------------------------

    /** Special token ids being collected; -1 = not known (yet). */
    private static final class Ids {
        final String[] tokens;
        final List<Added> added;
        int bos = -1, eos = -1, unk = -1, sep = -1, pad = -1, mask = -1;

        Ids(String[] tokens, List<Added> added, JsonNode config) {
            this.tokens = tokens;
            this.added = added;
            if (config != null) {
                int cls = find(configToken(config, "cls_token"));
                int sepToken = find(configToken(config, "sep_token"));
                bos = orElse(find(configToken(config, "bos_token")), cls);
                eos = orElse(find(configToken(config, "eos_token")), sepToken);
                unk = find(configToken(config, "unk_token"));
                sep = sepToken;
                pad = find(configToken(config, "pad_token"));
                mask = find(configToken(config, "mask_token"));
            }
        }

        int orElse(int id, int fallback) {
            return id >= 0 ? id : fallback;
        }

        /** The id of an added token with this content, else of a vocabulary token, else -1. */
        int find(String content) {
            if (content == null) return -1;
            for (Added a : added) if (a.content.equals(content)) return a.id;
            for (int i = 0; i < tokens.length; i++) if (content.equals(tokens[i])) return i;
            return -1;
        }

        private static String configToken(JsonNode config, String key) {
            JsonNode v = config.path(key);
            if (v.isTextual()) return v.asText();
            if (v.isObject() && v.path("content").isTextual()) return v.path("content").asText();
            return null;
        }
    }

    /** What the post-processor puts around a single sequence. */
    private record Template(int firstId, int lastId, boolean pairSep) {
    }

    private static Template template(JsonNode root, Ids ids) {
        int first = -1, last = -1;
        boolean pairSep = false;
        for (JsonNode p : flatten(root.path("post_processor"), "processors")) {
            switch (p.path("type").asText("")) {
                case "TemplateProcessing" -> {
                    JsonNode single = p.path("single");
                    if (single.size() > 1) {
                        first = specialId(p, single.get(0), ids);
                        last = specialId(p, single.get(single.size() - 1), ids);
                    }
                }
                case "BertProcessing", "RobertaProcessing" -> {
                    first = p.path("cls").get(1).asInt();
                    last = p.path("sep").get(1).asInt();
                    pairSep = p.path("type").asText().equals("RobertaProcessing");
                }
                case "ByteLevel" -> {
                    // offsets only
                }
                default -> throw new IllegalArgumentException("unsupported post-processor " + p);
            }
        }
        return new Template(first, last, pairSep);
    }

    private static int specialId(JsonNode processor, JsonNode item, Ids ids) {
        JsonNode st = item.path("SpecialToken");
        if (st.isMissingNode()) return -1;
        String name = st.path("id").asText();
        JsonNode entry = processor.path("special_tokens").path(name);
        if (entry.path("ids").size() == 1) return entry.path("ids").get(0).asInt();
        return ids.find(name);
    }

    /** Writes the special ids, the add flags and the chat template. */
    private static void finish(Metadata md, JsonNode root, JsonNode config, Ids ids, Template t) {
        boolean addBos = t.firstId >= 0;
        boolean addEos = t.lastId >= 0;
        if (t.firstId >= 0 && ids.bos < 0) ids.bos = t.firstId;
        if (t.lastId >= 0) ids.eos = t.lastId; // the template's trailing token is what gets added, as in the converter
        if (ids.pad < 0 && root.path("padding").path("pad_id").isInt()) ids.pad = root.path("padding").path("pad_id").asInt();
        if (config != null) {
            if (config.path("add_bos_token").isBoolean()) addBos = config.path("add_bos_token").asBoolean();
            if (config.path("add_eos_token").isBoolean()) addEos = config.path("add_eos_token").asBoolean();
        }
        putId(md, "tokenizer.ggml.bos_token_id", ids.bos);
        putId(md, "tokenizer.ggml.eos_token_id", ids.eos);
        putId(md, "tokenizer.ggml.unknown_token_id", ids.unk);
        putId(md, "tokenizer.ggml.seperator_token_id", ids.sep);
        putId(md, "tokenizer.ggml.padding_token_id", ids.pad);
        putId(md, "tokenizer.ggml.mask_token_id", ids.mask);
        md.putBool("tokenizer.ggml.add_bos_token", addBos && ids.bos >= 0);
        md.putBool("tokenizer.ggml.add_eos_token", addEos && ids.eos >= 0);
        md.putBool("tokenizer.ggml.add_sep_token", t.pairSep && ids.sep >= 0);
        if (config != null && config.path("chat_template").isTextual()) md.putString("tokenizer.chat_template", config.path("chat_template").asText());
    }

    private static void putId(Metadata md, String key, int id) {
        if (id >= 0) md.putUInt32(key, id);
    }
}
