package dev.koboldj.server.testing;

import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.engine.testing.TestModels;
import dev.koboldj.server.ServerApp;
import dev.koboldj.server.models.ModelSpec;
import dev.koboldj.server.models.Tokenizers;
import dev.koboldj.server.scheduling.EmbeddingQueue;
import dev.koboldj.server.scheduling.Forward;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Models and servers for the server tests. The backend every model is loaded with, by the server and by the
 * library the tests compare against, is the system property {@code koboldj.test.backend} (cpu unless set, e.g.
 * {@code -Dkoboldj.test.backend=vulkan} to run the suite on the GPU backend).
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static String backend() {
        return System.getProperty("koboldj.test.backend", "cpu");
    }

    /**
     * Load options on the test backend. When that backend has no device here the calling test is skipped with the
     * reason printed, unless {@code KOBOLDJ_REQUIRE_VULKAN} is set (as in CI), where it fails.
     */
    public static EmbeddingOptions options() {
        String backend = backend();
        if (!backend.equals("cpu")) {
            var probe = dev.koboldj.engine.backend.Backends.provider(backend).probe();
            if (!probe.available()) {
                String reason = "backend " + backend + " is not usable here: " + probe.reason();
                if (System.getenv("KOBOLDJ_REQUIRE_VULKAN") != null) throw new IllegalStateException(reason + " (KOBOLDJ_REQUIRE_VULKAN is set)");
                System.out.println("SKIPPED: " + reason);
                org.junit.jupiter.api.Assumptions.abort(reason);
            }
        }
        return EmbeddingOptions.defaults().withBackend(backend);
    }

    /** all-MiniLM-L6-v2 with its tokenizer (the engine's fixture), under the file name it is served by. */
    public static synchronized Path miniLm() {
        Path served = TestModels.dir().resolve("all-MiniLM-L6-v2.gguf");
        try {
            if (!java.nio.file.Files.exists(served)) java.nio.file.Files.copy(TestModels.miniLm(GgmlType.F32), served);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return served;
    }

    /** The engine's tiny seeded BERT (WordPiece vocabulary, 128-token context), served as "bert". */
    public static Path syntheticBert(Path dir) {
        try {
            return SyntheticModels.bert(dir, 7, false, GgmlType.F32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loopback, a free port, no key, 1 MiB bodies, 64 inputs per request; batches of 512 tokens or 64 sequences. */
    public static ServerApp.Config config() {
        return new ServerApp.Config("127.0.0.1", 0, null, 1 << 20, 64, new EmbeddingQueue.Limits(512, 64, 256));
    }

    public static ServerApp start(ServerApp.Config config, Path... models) throws IOException {
        return start(config, UnaryOperator.identity(), models);
    }

    public static ServerApp start(ServerApp.Config config, UnaryOperator<Forward> forwards, Path... models) throws IOException {
        List<ModelSpec> specs = Arrays.stream(models).map(p -> new ModelSpec(p, null, options())).toList();
        return ServerApp.start(config, specs, Tokenizers.engine(), forwards);
    }

    public static String base(ServerApp app) {
        return "http://127.0.0.1:" + app.port();
    }
}
