package dev.koboldj.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.imports.HfTokenizerImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from metadata: errors that name the problem, llama.cpp's defaults for absent keys, GGUF round trips. */
class TokenizerMetadataTest {
    @TempDir
    Path dir;

    private static Metadata miniLm() {
        return HfTokenizerImporter.importTokenizer(TestTexts.resource("all-minilm-l6-v2-tokenizer.json"), null);
    }

    /** A byte-level vocabulary of the 256 byte characters and one merge. */
    private static Metadata tinyGpt2(String pre) {
        String[] tokens = new String[258];
        for (int b = 0; b < 256; b++) tokens[b] = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
        tokens[256] = "ab";
        tokens[257] = "<|end|>";
        int[] types = new int[258];
        Arrays.fill(types, TokenTypes.NORMAL);
        types[257] = TokenTypes.CONTROL;
        Metadata md = new Metadata();
        md.putString("tokenizer.ggml.model", "gpt2");
        if (pre != null) md.putString("tokenizer.ggml.pre", pre);
        md.putStringArray("tokenizer.ggml.tokens", tokens);
        md.putInt32Array("tokenizer.ggml.token_type", types);
        md.putStringArray("tokenizer.ggml.merges", new String[]{"a b"});
        return md;
    }

    @Test
    void unknownModelIsNamed() {
        Metadata md = miniLm();
        md.putString("tokenizer.ggml.model", "rwkv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromMetadata(md));
        assertTrue(e.getMessage().contains("'rwkv'"), e.getMessage());
        Metadata none = new Metadata();
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromMetadata(none));
        assertTrue(e.getMessage().contains("tokenizer.ggml.model"), e.getMessage());
    }

    @Test
    void unknownPreTokenizerIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromMetadata(tinyGpt2("falcon")));
        assertTrue(e.getMessage().contains("'falcon'") && e.getMessage().contains("tokenizer.ggml.pre"), e.getMessage());
    }

    /**
     * Token id b is the character of byte b, 256 is "ab", 257 the control token. "ab ab<|end|>c" splits into
     * "ab ab", &lt;|end|&gt;, "c"; the GPT-2 regex cuts "ab ab" into "ab" and " ab"; bytes a b merge into 256, the
     * space stays byte 32: [256, 32, 256, 257, 99]. Decoding skips the control token.
     */
    @Test
    void gpt2DefaultsAndSplitting() {
        Tokenizer t = Tokenizer.fromMetadata(tinyGpt2(null)); // no pre: llama.cpp's "default"
        assertArrayEquals(new int[]{256, 32, 256, 257, 99}, t.encode("ab ab<|end|>c"));
        assertEquals("ab abc", t.decode(new int[]{256, 32, 256, 257, 99}));
        SpecialTokens s = t.special();
        assertEquals(-1, s.bos());
        assertTrue(!s.addBos() && !s.addEos());
    }

    @Test
    void bertDefaultsWithoutFlagsOrIds() {
        Metadata md = miniLm();
        for (String k : List.of("tokenizer.ggml.add_bos_token", "tokenizer.ggml.add_eos_token", "tokenizer.ggml.add_sep_token",
                "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.seperator_token_id",
                "tokenizer.ggml.normalizer.lowercase", "tokenizer.ggml.normalizer.strip_accents")) {
            md.remove(k);
        }
        Tokenizer defaults = Tokenizer.fromMetadata(md);
        Tokenizer imported = Tokenizer.fromMetadata(miniLm());
        // llama.cpp's WPM defaults: [CLS]=101 first, [SEP]=102 last, lower-cased and accent-stripped
        for (String text : List.of("Hello World", "Café Über", "")) assertArrayEquals(imported.encode(text), defaults.encode(text), text);
        SpecialTokens s = defaults.special();
        assertEquals(101, s.bos());
        assertEquals(102, s.sep());
        assertTrue(s.addBos() && s.addSep() && !s.addEos());
    }

    @Test
    void flagsTurnSpecialTokensOff() {
        Metadata md = miniLm();
        md.putBool("tokenizer.ggml.add_bos_token", false);
        md.putBool("tokenizer.ggml.add_eos_token", false);
        Tokenizer t = Tokenizer.fromMetadata(md);
        assertArrayEquals(Tokenizer.fromMetadata(miniLm()).encode("hello world", false), t.encode("hello world"));
    }

    @Test
    void addFlagWithoutItsTokenFails() {
        Metadata md = miniLm();
        md.putBool("tokenizer.ggml.add_eos_token", true);
        md.remove("tokenizer.ggml.eos_token_id");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromMetadata(md));
        assertTrue(e.getMessage().contains("tokenizer.ggml.add_eos_token") && e.getMessage().contains("tokenizer.ggml.eos_token_id"), e.getMessage());
    }

    @Test
    void missingMergesFail() {
        Metadata md = tinyGpt2("gpt-2");
        md.remove("tokenizer.ggml.merges");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromMetadata(md));
        assertTrue(e.getMessage().contains("tokenizer.ggml.merges"), e.getMessage());
    }

    @Test
    void t5Defaults() {
        Metadata md = HfTokenizerImporter.importTokenizer(UnigramFixture.json(false), null);
        md.remove("tokenizer.ggml.add_bos_token");
        md.remove("tokenizer.ggml.add_eos_token");
        md.remove("tokenizer.ggml.add_space_prefix");
        md.remove("tokenizer.ggml.remove_extra_whitespaces");
        Tokenizer t = Tokenizer.fromMetadata(md);
        int[] ids = t.encode("the  file");
        // llama.cpp's UGM defaults: no BOS, EOS (here </s> = 2) appended; prefix ▁; spaces collapsed
        assertEquals(2, ids[ids.length - 1]);
        assertArrayEquals(t.encode("the file", false), Arrays.copyOf(ids, ids.length - 1));
    }

    @Test
    void ggufRoundTrip() throws IOException {
        for (Metadata md : List.of(miniLm(), HfTokenizerImporter.importTokenizer(UnigramFixture.json(true), null))) {
            Path file = dir.resolve("vocab-" + md.getString("tokenizer.ggml.model") + ".gguf");
            Metadata withArch = new Metadata();
            withArch.putString("general.architecture", "bert");
            md.entries().forEach((k, v) -> withArch.put(k, v.type(), v.value()));
            new GgufWriter(withArch).write(file);
            Tokenizer direct = Tokenizer.fromMetadata(md);
            try (GgufFile f = GgufFile.open(file)) {
                Tokenizer reread = Tokenizer.fromMetadata(f.metadata());
                for (String text : TestTexts.edgeCases()) assertArrayEquals(direct.encode(text), reread.encode(text), text);
                assertEquals(direct.special(), reread.special());
            }
        }
    }

    @Test
    void robustAgainstOddInput() {
        Tokenizer bert = Tokenizer.fromMetadata(miniLm());
        Tokenizer unigram = Tokenizer.fromMetadata(HfTokenizerImporter.importTokenizer(UnigramFixture.json(true), null));
        Tokenizer gpt2 = Tokenizer.fromMetadata(tinyGpt2("qwen2"));
        for (Tokenizer t : List.of(bert, unigram, gpt2)) {
            for (String s : List.of("\uD800 lone high", "lone low \uDC00", "\uDC00\uD800", "\u0000".repeat(10), "\uFFFF\uFFFE")) {
                int[] ids = t.encode(s);
                t.decode(ids);
            }
            assertThrows(IllegalArgumentException.class, () -> t.decode(new int[]{t.vocabSize()}));
            assertThrows(IllegalArgumentException.class, () -> t.decode(new int[]{-1}));
        }
    }
}
