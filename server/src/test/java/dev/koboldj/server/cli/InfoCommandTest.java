package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsATextSummary() throws IOException {
        Path f = Fixtures.tinyBert(dir.resolve("tiny.gguf"));
        Cli r = Cli.run("info", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        String o = r.out();
        // parameters: 256*8 + 256*256 + 256 + 256 + 256*4 = 2048 + 65536 + 512 + 1024 = 69,120
        for (String expected : new String[]{
                "architecture     bert", "name             tiny-bert", "parameters       69.1 K (69,120)",
                "context length   512", "embedding size   256", "layers           1", "heads            4 (kv absent)",
                "pooling          cls (2)", "tokenizer        bert, 8 tokens", "file type        all F32 (0)",
                "F32                   4", "Q8_0                  1", "total                 5", "memory to load   about "}) {
            assertTrue(o.contains(expected), "missing '" + expected + "' in:\n" + o);
        }
    }

    @Test
    void printsJson() throws IOException {
        Path f = Fixtures.tinyBert(dir.resolve("tiny.gguf"));
        Cli r = Cli.run("info", "--json", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("bert", j.get("architecture").asText());
        assertEquals(69120, j.get("parameterCount").asLong());
        assertEquals(512, j.get("contextLength").asLong());
        assertTrue(j.get("headCountKv").isNull());
        assertEquals("cls", j.get("poolingName").asText());
        assertEquals(8, j.get("vocabularySize").asLong());
        assertEquals("all F32", j.get("fileTypeName").asText());
        assertEquals("F32", j.get("tensorTypes").get(0).get("type").asText());
        assertEquals(4, j.get("tensorTypes").get(0).get("tensors").asInt());
        assertEquals("Q8_0", j.get("tensorTypes").get(1).get("type").asText());
        // Q8_0: 1024 elements = 32 blocks of 34 bytes
        assertEquals(32 * 34, j.get("tensorTypes").get(1).get("bytes").asLong());
        assertEquals(j.get("tensorBytes").asLong() + j.get("estimatedOverheadBytes").asLong(), j.get("estimatedMemoryBytes").asLong());
    }

    @Test
    void unknownArchitectureWithMissingKeys() throws IOException {
        Metadata m = new Metadata();
        m.putString("general.architecture", "something-new");
        Path f = dir.resolve("new.gguf");
        new GgufWriter(m).write(f);
        Cli r = Cli.run("info", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("architecture     something-new"), r.out());
        assertTrue(r.out().contains("context length   absent"), r.out());
        assertTrue(r.out().contains("tokenizer        absent, vocabulary size absent"), r.out());
        Cli j = Cli.run("info", "--json", f.toString());
        assertEquals(0, j.exitCode(), j.err());
        assertTrue(new ObjectMapper().readTree(j.out()).get("contextLength").isNull());
    }

    @Test
    void aMissingFileIsAClearFailure() {
        Path missing = dir.resolve("nope.gguf");
        Cli r = Cli.run("info", missing.toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals("koboldj info: no such file: " + missing + System.lineSeparator(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aCorruptFileIsAClearFailureWithoutStackTrace() throws IOException {
        Path good = Fixtures.tinyBert(dir.resolve("tiny.gguf"));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.gguf"), java.util.Arrays.copyOf(bytes, 40));
        Path garbage = Files.writeString(dir.resolve("text.gguf"), "this is not a model");
        for (Path bad : new Path[]{truncated, garbage}) {
            Cli r = Cli.run("info", bad.toString());
            assertEquals(ExitCodes.FAILURE, r.exitCode());
            assertTrue(r.err().startsWith("koboldj info: not a valid GGUF file: "), r.err());
            assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void aDirectoryIsAClearFailure() {
        Cli r = Cli.run("info", dir.toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("koboldj info: "), r.err());
    }
}
