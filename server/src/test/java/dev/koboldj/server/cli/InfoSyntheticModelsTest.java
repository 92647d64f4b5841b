package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.SyntheticModels;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic models of each architecture the engine tests against llama.cpp, as `koboldj info` describes them. */
class InfoSyntheticModelsTest {
    @TempDir
    Path dir;

    private static JsonNode info(Path file) throws IOException {
        Cli r = Cli.run("info", "--json", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void xlmRobertaNomicBertAndQwen3() throws IOException {
        JsonNode xlmr = info(SyntheticModels.bert(dir, 1, true, GgmlType.F16));
        assertEquals("bert", xlmr.get("architecture").asText());
        assertEquals("t5", xlmr.get("tokenizerModel").asText());
        assertEquals("cls", xlmr.get("poolingName").asText());
        assertEquals(SyntheticModels.HIDDEN, xlmr.get("embeddingLength").asInt());

        JsonNode nomic = info(SyntheticModels.nomicBert(dir, 2, GgmlType.Q8_0));
        assertEquals("nomic-bert", nomic.get("architecture").asText());
        assertEquals("bert", nomic.get("tokenizerModel").asText());
        assertEquals("mean", nomic.get("poolingName").asText());
        assertEquals(SyntheticModels.LAYERS, nomic.get("blockCount").asInt());

        JsonNode qwen3 = info(SyntheticModels.qwen(dir, "qwen3", 3, GgmlType.F32));
        assertEquals("qwen3", qwen3.get("architecture").asText());
        assertEquals("gpt2", qwen3.get("tokenizerModel").asText());
        assertEquals("last", qwen3.get("poolingName").asText());
        assertEquals(2, qwen3.get("headCountKv").asInt());
    }
}
