package dev.koboldj.engine.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.ValueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The tokenizer.ggml.* keys written for real tokenizer.json files, in llama.cpp's converter conventions. */
class HfTokenizerImporterTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(HfTokenizerImporterTest.class.getResourceAsStream("/" + name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void wordPieceInPhantomSpaceForm() throws IOException {
        String json = resource("all-minilm-l6-v2-tokenizer.json");
        Metadata md = HfTokenizerImporter.importTokenizer(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), null);
        assertEquals("bert", md.getString("tokenizer.ggml.model"));
        String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
        int[] types = md.getIntArray("tokenizer.ggml.token_type");
        var vocab = new ObjectMapper().readTree(json).path("model").path("vocab");
        assertEquals(vocab.size(), tokens.length);
        assertEquals("[CLS]", tokens[vocab.path("[CLS]").asInt()]);                 // bracketed: unchanged
        assertEquals("\u2581hello", tokens[vocab.path("hello").asInt()]);          // word start: phantom space
        assertEquals("ing", tokens[vocab.path("##ing").asInt()]);                  // continuation: ## dropped
        assertEquals("[unused0]", tokens[vocab.path("[unused0]").asInt()]);
        assertEquals(3, types[vocab.path("[SEP]").asInt()]);                       // CONTROL
        assertEquals(1, types[vocab.path("hello").asInt()]);                       // NORMAL
        assertTrue(md.getBool("tokenizer.ggml.normalizer.lowercase"));
        assertTrue(md.getBool("tokenizer.ggml.normalizer.strip_accents"));
        // [CLS] $A [SEP]: stored as BOS and EOS, as llama.cpp's converter does
        assertEquals(vocab.path("[CLS]").asInt(), md.getInt("tokenizer.ggml.bos_token_id"));
        assertEquals(vocab.path("[SEP]").asInt(), md.getInt("tokenizer.ggml.eos_token_id"));
        assertEquals(vocab.path("[SEP]").asInt(), md.getInt("tokenizer.ggml.seperator_token_id"));
        assertEquals(vocab.path("[UNK]").asInt(), md.getInt("tokenizer.ggml.unknown_token_id"));
        assertEquals(vocab.path("[PAD]").asInt(), md.getInt("tokenizer.ggml.padding_token_id"));
        assertEquals(vocab.path("[MASK]").asInt(), md.getInt("tokenizer.ggml.mask_token_id"));
        assertTrue(md.getBool("tokenizer.ggml.add_bos_token"));
        assertTrue(md.getBool("tokenizer.ggml.add_eos_token"));
        assertFalse(md.getBool("tokenizer.ggml.add_sep_token"));
    }

    @Test
    void casedWordPiece() throws IOException {
        Metadata md = HfTokenizerImporter.importTokenizer(resource("bge-small-zh-v1.5-tokenizer.json"), null);
        assertFalse(md.getBool("tokenizer.ggml.normalizer.lowercase"));
        assertFalse(md.getBool("tokenizer.ggml.normalizer.strip_accents"));
    }

    @Test
    void unigramCharsmapAndScores() throws IOException {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(resourceUnigram());
        Metadata md = HfTokenizerImporter.importTokenizer(root.toString(), null);
        assertEquals("t5", md.getString("tokenizer.ggml.model"));
        assertEquals(ValueType.UINT8, md.getArray("tokenizer.ggml.precompiled_charsmap").elementType());
        byte[] expected = java.util.Base64.getDecoder().decode(root.path("normalizer").path("normalizers").get(0).path("precompiled_charsmap").asText());
        assertArrayEquals(expected, (byte[]) md.getArray("tokenizer.ggml.precompiled_charsmap").values());
        float[] scores = md.getFloatArray("tokenizer.ggml.scores");
        assertEquals((float) root.path("model").path("vocab").get(10).get(1).asDouble(), scores[10]);
        assertTrue(md.getBool("tokenizer.ggml.add_space_prefix"));
        assertTrue(md.getBool("tokenizer.ggml.remove_extra_whitespaces"));
        assertEquals(3, md.getInt("tokenizer.ggml.unknown_token_id"));
        assertEquals(2, md.getIntArray("tokenizer.ggml.token_type")[3]); // <unk>: UNKNOWN, as the converter types it
        assertEquals(3, md.getIntArray("tokenizer.ggml.token_type")[0]); // <s>: CONTROL
    }

    /** The constructed Unigram tokenizer.json of the tokenizer tests. */
    private static String resourceUnigram() {
        return dev.koboldj.engine.tokenizer.UnigramFixture.json(false);
    }

    @Test
    void unsupportedPartsAreNamed() throws IOException {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(resource("all-minilm-l6-v2-tokenizer.json"));
        ((ObjectNode) root.path("model")).put("max_input_chars_per_word", 50);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfTokenizerImporter.importTokenizer(root.toString(), null));
        assertTrue(e.getMessage().contains("max_input_chars_per_word"), e.getMessage());
        ((ObjectNode) root.path("model")).put("type", "WordLevel");
        e = assertThrows(IllegalArgumentException.class, () -> HfTokenizerImporter.importTokenizer(root.toString(), null));
        assertTrue(e.getMessage().contains("WordLevel"), e.getMessage());
    }
}
