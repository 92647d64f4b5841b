package dev.koboldj.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.koboldj.server.api.EmbeddingService;
import dev.koboldj.server.api.openai.OpenAiApi;
import dev.koboldj.server.models.ModelLoader;
import dev.koboldj.server.models.ModelRegistry;
import dev.koboldj.server.models.ModelSpec;
import dev.koboldj.server.models.Tokenizers;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health answers 503 while models load and 200 once they are loaded; embedding requests meanwhile get a 503. */
class HealthTest {
    @TempDir
    Path dir;

    @Test
    void healthTurnsGreenOnlyOnceTheModelsAreLoaded() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        try (ModelRegistry registry = new ModelRegistry()) {
            ServerModule own = new ServerModule(registry, metrics);
            EmbeddingService service = new EmbeddingService(registry, 64, metrics);
            try (HttpServer http = new HttpServer(new HttpServer.Settings("127.0.0.1", 0, null, 1 << 20), List.of(own, new OpenAiApi(service)), own, metrics).start()) {
                String base = "http://127.0.0.1:" + http.port();
                Http.Response loading = Http.get(base + "/health");
                assertEquals(503, loading.status(), loading.body());
                Http.Response early = Http.post(base + "/v1/embeddings", "{\"input\": [[1, 2]]}");
                assertEquals(503, early.status(), early.body());
                assertEquals("server_error", early.json().get("error").get("type").asText());

                registry.add(new ModelLoader(Tokenizers.engine(), Fixtures.config().limits(), metrics)
                        .load(new ModelSpec(Fixtures.syntheticBert(dir), null, Fixtures.options())));
                assertEquals(503, Http.get(base + "/health").status(), "not ready until startup says so");
                registry.markReady();
                Http.Response ready = Http.get(base + "/health");
                assertEquals(200, ready.status(), ready.body());
                assertEquals("bert", ready.json().get("models").get(0).asText());
                assertEquals(200, Http.post(base + "/v1/embeddings", "{\"input\": [[1, 2]]}").status());
            }
        }
    }
}
