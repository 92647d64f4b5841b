package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.server.Main;
import dev.koboldj.server.models.Tokenizers;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** serve's flags, KoboldCPP's included, and its config file map to the right engine and server settings. */
class ServeCommandTest {
    @TempDir
    Path dir;

    static ServeCommand parse(String... args) throws Exception {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.resolve();
        return cmd;
    }

    @Test
    void defaultsAreKoboldCppsPortTheAutoBackendAndTheModelsOwnLimit() throws Exception {
        ServeCommand cmd = parse("--embeddingsmodel", "m.gguf");
        assertEquals(5001, cmd.serverConfig().port());
        assertEquals("127.0.0.1", cmd.serverConfig().host());
        assertNull(cmd.serverConfig().apiKey());
        EmbeddingOptions o = cmd.embeddingOptions();
        assertEquals("auto", o.backend());
        assertEquals(-1, o.device());
        assertEquals(0, o.maxTokens(), "0 = the model's own limit");
        assertTrue(o.normalize());
        assertNull(o.pooling());
        assertEquals(32L << 20, cmd.serverConfig().payloadLimit());
    }

    @Test
    void useCpuAndUseVulkanPickTheBackendAndDevice() throws Exception {
        assertEquals("cpu", parse("--usecpu").embeddingOptions().backend());
        EmbeddingOptions vulkan = parse("--usevulkan").embeddingOptions();
        assertEquals("vulkan", vulkan.backend());
        assertEquals(-1, vulkan.device());
        assertEquals(1, parse("--usevulkan", "1").embeddingOptions().device());
        assertEquals(CommandLine.ParameterException.class, assertThrows(Exception.class, () -> parse("--usecpu", "--usevulkan")).getClass());
    }

    @Test
    void embeddingsMaxCtxWinsOverContextSize() throws Exception {
        assertEquals(256, parse("--contextsize", "256").embeddingOptions().maxTokens());
        assertEquals(128, parse("--contextsize", "256", "--embeddingsmaxctx", "128").embeddingOptions().maxTokens());
    }

    @Test
    void serverAndQueueLimits() throws Exception {
        ServeCommand cmd = parse("--host", "0.0.0.0", "--port", "8080", "--password", "k", "--threads", "3", "--max-batch-tokens", "4096",
                "--max-batch-sequences", "32", "--max-concurrent-requests", "7", "--max-client-batch", "16", "--payload-limit", "2m",
                "--pooling", "cls", "--no-normalize");
        var c = cmd.serverConfig();
        assertEquals("0.0.0.0", c.host());
        assertEquals(8080, c.port());
        assertEquals("k", c.apiKey());
        assertEquals(2L << 20, c.payloadLimit());
        assertEquals(16, c.maxClientBatch());
        assertEquals(4096, c.limits().maxBatchTokens());
        assertEquals(32, c.limits().maxBatchSequences());
        assertEquals(7, c.limits().maxRequests());
        EmbeddingOptions o = cmd.embeddingOptions();
        assertEquals(3, o.threads());
        assertEquals(4096, o.maxBatchTokens());
        assertEquals(Pooling.CLS, o.pooling());
        assertFalse(o.normalize());
        assertEquals(5L << 20, parse("--maxrequestsize", "5").serverConfig().payloadLimit(), "KoboldCPP's --maxrequestsize is in MB");
    }

    @Test
    void modelsAreServedInOrderModelThenEachEmbeddingsModel() throws Exception {
        var specs = parse("--model", "a.gguf", "--embeddingsmodel", "b.gguf", "--embeddingsmodel", "c.gguf").modelSpecs();
        assertEquals(List.of("a", "b", "c"), specs.stream().map(s -> s.servedName()).toList());
    }

    @Test
    void aKoboldCppConfigFileFillsWhatTheCommandLineLeavesOut() throws Exception {
        Path kcpps = dir.resolve("my.kcpps");
        Files.writeString(kcpps, """
                {"model_param": "", "embeddingsmodel": "emb.gguf", "embeddingsmaxctx": 0, "contextsize": 4096, "host": "",
                 "port": 5002, "threads": -1, "password": null, "usecpu": false, "usevulkan": [2], "quiet": true,
                 "maxrequestsize": 8, "gpulayers": 99, "max-client-batch": 10}
                """);
        ServeCommand cmd = parse("--config", kcpps.toString(), "--port", "6000");
        assertEquals(6000, cmd.serverConfig().port(), "the command line wins");
        assertEquals("0.0.0.0", cmd.serverConfig().host(), "KoboldCPP's empty host means every interface");
        assertEquals(List.of("emb"), cmd.modelSpecs().stream().map(s -> s.servedName()).toList());
        assertEquals(4096, cmd.embeddingOptions().maxTokens(), "embeddingsmaxctx 0 falls back to contextsize");
        assertEquals("vulkan", cmd.embeddingOptions().backend());
        assertEquals(2, cmd.embeddingOptions().device());
        assertEquals(0, cmd.embeddingOptions().threads());
        assertEquals(8L << 20, cmd.serverConfig().payloadLimit());
        assertEquals(10, cmd.serverConfig().maxClientBatch());
        assertTrue(cmd.quiet);
    }

    @Test
    void helpDocumentsEveryFlag() {
        Cli r = Cli.run("serve", "--help");
        assertEquals(0, r.exitCode());
        for (String flag : List.of("--model", "--embeddingsmodel", "--embeddingsmaxctx", "--host", "--port", "--threads", "--contextsize",
                "--password", "--usecpu", "--usevulkan", "--quiet", "--max-batch-tokens", "--max-concurrent-requests", "--max-client-batch",
                "--payload-limit", "--pooling", "--no-normalize", "--config")) {
            assertTrue(r.out().contains(flag), flag + " is not documented:\n" + r.out());
        }
        assertTrue(Cli.run("--help").out().contains("serve"));
    }

    @Test
    void badFlagsAreUsageErrorsAndAMissingModelFileAFailure() {
        assertEquals(ExitCodes.USAGE, Cli.run("serve", "--usecpu", "--usevulkan").exitCode());
        assertEquals(ExitCodes.USAGE, Cli.run("serve", "--pooling", "max").exitCode());
        assertEquals(ExitCodes.USAGE, Cli.run("serve", "--payload-limit", "lots").exitCode());
        Cli missing = Cli.run("serve", "--port", "0", "--embeddingsmodel", dir.resolve("absent.gguf").toString());
        assertEquals(ExitCodes.FAILURE, missing.exitCode());
        assertTrue(missing.err().contains("absent.gguf"), missing.err());
    }

    @Test
    void embedPrintsTheLibrarysVectors() throws Exception {
        Path model = Fixtures.miniLm();
        String backendFlag = Fixtures.backend().equals("vulkan") ? "--usevulkan" : "--usecpu";
        Cli r = Cli.run("embed", "--model", model.toString(), backendFlag, "hello world", "second line");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        try (EmbeddingModel lib = EmbeddingModel.load(model, Fixtures.options())) {
            var tok = Tokenizers.engine().tokenizer(lib);
            float[] want = lib.embedTokens(new int[][]{tok.encode("hello world", true)})[0];
            assertArrayEquals(want, Http.floats(new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(lines[0])));
        }
        assertTrue(Main.commandLine().getSubcommands().containsKey("embed"));
    }
}
