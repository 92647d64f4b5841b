package dev.koboldj.engine.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A constructed XLM-RoBERTa-style Unigram tokenizer.json: no real XLM-R vocabulary is available offline, so the
 * pieces, scores and charsmap are made here, deterministically. Scores are multiples of 1/64 so that the float
 * scores of GGUF equal the double scores of Hugging Face.
 */
public final class UnigramFixture {
    private UnigramFixture() {
    }

    /** Words whose pieces (whole, with ▁, and their substrings) make up the vocabulary. */
    private static final String[] WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which "
            + "but have an they you were her she there one all we can has been if more when will would who so no file "
            + "version system use used using data time new may should also code license software free source bug report "
            + "hello world token tokenization ing tion ed er ly un re pre able ment ness "
            + "über straße café naïve résumé привет мир мирный для это γεια κόσμε "
            + "中文 世界 北京 你好 日本 東京 한국어 안녕 세계 नमस्ते दुनिया مرحبا عالم שלום").split(" ");

    /** Characters that are single pieces (a character outside them is unknown, or byte-encoded with byte fallback). */
    private static final String SINGLE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + ".,;:!?'\"()[]{}-_/\\@#$%&*+=<>|~`^"
            + "äöüßéèêëàâçîïôûùñáíóúÅåøæœÀÉ"
            + "привемийдлэтоскнрагбжзчшщыьюяуфхцАБВГДЕЖЗ"
            + "γειακόσμε"
            + "中文世界北京你好日本東京"
            + "한국어안녕세계"
            + "नमस्तेदुनियाहिंदी"
            + "مرحباعالم"
            + "שלום";

    /** Normalisation rules in the spirit of SentencePiece's nmt_nfkc: width folding, compatibility forms, spaces. */
    static Map<String, String> charsmapRules() {
        Map<String, String> rules = new LinkedHashMap<>();
        for (char c = '!'; c <= '~'; c++) rules.put(String.valueOf((char) (c - '!' + 0xFF01)), String.valueOf(c)); // full width
        rules.put("\u3000", " ");
        rules.put("\u00A0", " ");
        rules.put("\t", " ");
        rules.put("\n", " ");
        rules.put("\r", " ");
        rules.put("\u200B", "");          // zero width space: deleted
        rules.put("\u0001", "");          // a control character: deleted
        rules.put("™", "TM");
        rules.put("½", "1⁄2");
        rules.put("ﬁ", "fi");
        rules.put("e\u0301", "é");        // a two-character key: composition
        rules.put("A\u030A", "Å");
        rules.put("ｶ", "カ");
        rules.put("ﾞ", "\u3099");
        rules.put("ｶﾞ", "ガ");           // never used whole: the cluster is 6 bytes long
        rules.put("Ⅻ", "XII");
        rules.put("①", "1");
        return rules;
    }

    /** The tokenizer.json; with {@code byteFallback}, 256 {@code <0xNN>} pieces are added and enabled. */
    public static String json(boolean byteFallback) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        Map<String, Double> pieces = pieces(byteFallback);
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<s>", "<pad>", "</s>", "<unk>"};
        for (int i = 0; i < specials.length; i++) addedToken(added, i, specials[i], false);
        addedToken(added, pieces.size() + specials.length, "<mask>", true);

        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode norms = normalizer.putArray("normalizers");
        norms.addObject().put("type", "Precompiled").put("precompiled_charsmap", Base64.getEncoder().encodeToString(CharsMapBuilder.build(charsmapRules())));
        ObjectNode replace = norms.addObject();
        replace.put("type", "Replace");
        replace.putObject("pattern").put("Regex", " {2,}");
        replace.put("content", " ");

        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Metaspace").put("replacement", "\u2581").put("prepend_scheme", "always").put("split", true);

        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
        ObjectNode st = post.putObject("special_tokens");
        for (String[] s : new String[][]{{"<s>", "0"}, {"</s>", "2"}}) {
            ObjectNode e = st.putObject(s[0]);
            e.put("id", s[0]);
            e.putArray("ids").add(Integer.parseInt(s[1]));
            e.putArray("tokens").add(s[0]);
        }

        if (byteFallback) {
            // as byte-fallback SentencePiece models decode: ▁ to space, byte tokens to UTF-8, one leading space off
            ObjectNode decoder = root.putObject("decoder");
            decoder.put("type", "Sequence");
            ArrayNode ds = decoder.putArray("decoders");
            ObjectNode rep = ds.addObject();
            rep.put("type", "Replace");
            rep.putObject("pattern").put("String", "\u2581");
            rep.put("content", " ");
            ds.addObject().put("type", "ByteFallback");
            ds.addObject().put("type", "Fuse");
            ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        } else {
            root.putObject("decoder").put("type", "Metaspace").put("replacement", "\u2581").put("prepend_scheme", "always").put("split", true);
        }

        ObjectNode model = root.putObject("model");
        model.put("type", "Unigram");
        model.put("unk_id", 3);
        ArrayNode vocab = model.putArray("vocab");
        for (String s : specials) vocab.addArray().add(s).add(0.0);
        for (Map.Entry<String, Double> p : pieces.entrySet()) vocab.addArray().add(p.getKey()).add(p.getValue());
        vocab.addArray().add("<mask>").add(0.0);
        model.put("byte_fallback", byteFallback);
        return root.toString();
    }

    private static void addedToken(ArrayNode added, int id, String content, boolean lstrip) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", lstrip)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }

    /** Pieces and scores: ▁, single characters, ▁word and word pieces, substrings; random multiples of 1/64. */
    private static Map<String, Double> pieces(boolean byteFallback) {
        Random r = new Random(20240611);
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("\u2581", -2.5);
        if (byteFallback) for (int b = 0; b < 256; b++) p.put(String.format("<0x%02X>", b), 0.0);
        SINGLE_CHARS.codePoints().forEach(c -> p.putIfAbsent(new String(Character.toChars(c)), score(r, 6, 11)));
        for (String w : WORDS) {
            p.putIfAbsent("\u2581" + w, score(r, 3, 9));
            if (w.codePointCount(0, w.length()) > 2) p.putIfAbsent(w, score(r, 4, 10));
            for (int len = 2; len <= 4; len++) {
                for (int i = 0; i + len <= w.length(); i++) {
                    String sub = w.substring(i, i + len);
                    if (Character.isLowSurrogate(sub.charAt(0)) || Character.isHighSurrogate(sub.charAt(sub.length() - 1))) continue;
                    if (r.nextInt(3) == 0) p.putIfAbsent(sub, score(r, 5, 12));
                    if (i == 0 && r.nextInt(2) == 0) p.putIfAbsent("\u2581" + sub, score(r, 4, 11));
                }
            }
        }
        p.putIfAbsent("TM", -7.0);
        p.putIfAbsent("▁XII", -6.0);
        return p;
    }

    /** A score in [-hi, -lo] that is a multiple of 1/64 (exact in float). */
    private static double score(Random r, int lo, int hi) {
        return -(lo * 64 + r.nextInt((hi - lo) * 64 + 1)) / 64.0;
    }
}
